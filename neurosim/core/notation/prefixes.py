"""Which of neurosim's names could match a glob pattern once written in a notation, told without
writing them: a name in the notation starts with the literal start of its kind's template (hkp's
gradient 'dE/d{p}', with {p} a weight 'w{pair_u}', starts 'dE/dw'), and a name can match a
pattern only if that start and the pattern's literal start (before its first * ? or [) agree.
`--only 'dC/dw^2_1*'` on 50,000 weights thus renames the gradients alone, and `--only 'dE/dw1*'`
in Nielsen's names (whose gradients are dC/d…) renames nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .namemap import NameMap
from .quantity import kind_tests
from .rules import Notation

# fields of a template that are themselves names in the notation: their templates' starts follow on
_NESTED = {"p": ("weight", "bias", "shared_bias"), "net": ("net",), "out": ("out",), "w": ("weight",),
           "Y_net": ("net",), "Y_delta": ("delta",)}
_KINDS_OF = {"out": ("out", "input"), "weight": ("param",), "bias": ("param",), "shared_bias": ("param",)}


def template_starts(notation: Notation, kind: str, depth: int = 3) -> set[str]:
    """The literal starts of the names of `kind` (every role's template; '' when a name may start
    with anything)."""
    starts = set()
    for key, template in notation.names.items():
        if key != kind and not key.startswith(kind + "."):
            continue
        head, brace, rest = template.partition("{")
        field = rest.split("}", 1)[0] if brace else ""
        if field in _NESTED and depth > 0:
            starts.update(head + start for nested in _NESTED[field]
                          for start in template_starts(notation, nested, depth - 1))
        else:
            starts.add(head)
    return starts


def _literal_start(pattern: str) -> str:
    return re.split(r"[*?\[]", pattern, maxsplit=1)[0]


def could_match(names: NameMap, patterns: Sequence[str]) -> Callable[[str], bool]:
    """A test on neurosim's names: False where the name, written in the notation of `names`, cannot
    match any of `patterns` (True where it may: the caller renames it and matches)."""
    notation = names.notation
    starts = [_literal_start(p) for p in patterns]
    internal_kinds = set()
    for kind in {key.split(".")[0] for key in notation.names}:
        heads = template_starts(notation, kind)
        if any(h.startswith(s) or s.startswith(h) for h in heads for s in starts):
            internal_kinds.update(_KINDS_OF.get(kind, (kind,)))
    tests = kind_tests(internal_kinds)
    return lambda name: any(test(name) for test in tests)
