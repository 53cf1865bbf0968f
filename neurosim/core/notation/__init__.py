"""Notations: the names, signs and indexing of the textbooks users work from, as tables of rules
(tables.py), applied to a network's quantities by NameMap (namemap.py)."""

from .namemap import NameMap, get_notation, name_map
from .quantity import Quantity, parse
from .rules import Notation
from .structure import Structure
from .tables import NOTATIONS

__all__ = ["NOTATIONS", "NameMap", "Notation", "Quantity", "Structure", "get_notation", "name_map", "parse"]
