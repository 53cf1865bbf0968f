"""Text in a notation (notation_view.py applies it to finished tables and documents): formulas and
titles (`text_in_notation`), and what an elided table says about the rows it leaves out — the note
under a cut table and the per-layer summary of a large step (elide.py, size.py) name quantities
(`net_h42`, `dE/dout_i1`, `w282`) and neurons (`h7 … h59`).

A quantity of the other sign is written -name (`delta_o1` in hkp: -Err6, its value being delta's);
a neuron by the notation's label (hkp: its unit number; nielsen: (2,7); matrix: h1[6]); the words
of a kind of value (net, delta, dE/dp) by the notation's phrases where it has them.
"""

from __future__ import annotations

import re

from ..core.notation import NameMap
from ..core.notation.quantity import TOKEN
from ..messages import say
from .elide import ELIDED

NEURON = re.compile(r"(?<![\w/^\[])([iho]\d+(?:_\d+)?)(?![\w(\[])")
_EXPONENT = re.compile(r"e\^(net_[iho]\d+(?:_\d+)?(?:\[\d+\])?)(?![\w(\[])")
_DOUBLED = re.compile(r"\(\((-[^()]*)\)\)")  # ((-Err6)): a name of the other sign inside a note's (…)
_NAMED = re.compile(r"\(([iho]\d+(?:_\d+)?(?:\[\d+\])?)\)$")  # '0.12 (h17)', '0.3 (h11[22])'
_ONLY = re.compile(r"--only ('?)([^\s']+)\1")  # an example of --only in a note: its names as typed
_NEURON_KINDS = ("net", "out", "delta")  # the per-layer summary's rows named by neuron


def text_in_notation(text: str, names: NameMap, title: bool = False) -> str:
    """Every quantity name in a formula or a title renamed, one of the other sign written (-name);
    then the notation's phrases for words that name no particular quantity (dE/dw in w+ = w -
    η·dE/dw), and η as the notation's letter. (`title` is kept for callers; phrases apply to both.)"""
    def renamed(internal: str) -> str:
        name = names.name(internal)
        return f"(-{name})" if names.sign(internal) < 0 else name

    def rename(match: re.Match) -> str:
        return renamed(match.group(0))
    text = _EXPONENT.sub(lambda m: "e^" + renamed(m.group(1)), text)  # e^net_o1 (softmax; bce's loss from net)
    text = with_phrases(TOKEN.sub(rename, text), names).replace("η", names.notation.learning_rate)
    return text if title else generic_in_notation(text, names)


def generic_in_notation(formula: str, names: NameMap) -> str:
    """The bare words of a formula about no particular neuron (out, net, target, E; after d: dout/dnet)
    as the notation's letters: hkp O = 1/(1+e^(-I)), dO/dI = O·(1-O)."""
    generic = names.notation.generic
    if not generic:
        return formula
    words = "|".join(sorted(map(re.escape, generic), key=len, reverse=True))
    return re.sub(rf"(?<![\w])(d?)({words})(?![\w])", lambda m: m.group(1) + generic[m.group(2)], formula,
                  flags=re.ASCII)


def with_phrases(text: str, names: NameMap) -> str:
    """The notation's words for phrases that name no particular quantity (whole phrases only)."""
    for ours, theirs in names.notation.phrases:  # sentences of the catalog: said in the active language
        ours, theirs = say(ours), say(theirs)
        # whole phrases: not inside an ASCII name (a Chinese character next to a phrase is a boundary)
        text = re.sub(rf"(?<![\w/]){re.escape(ours)}(?![\w])", theirs.replace("\\", "\\\\"), text, flags=re.ASCII)
    return text


def note_in_notation(text: str, names: NameMap) -> str:
    """A note (or an elided list's summary) with every quantity name and neuron in the notation; an
    example of --only names its quantities as --only takes them in the notation (no sign)."""
    if not text:
        return text
    pieces, done = [], 0
    for match in _ONLY.finditer(text):
        pieces += [_renamed(text[done:match.start()], names), _only_example(match, names)]
        done = match.end()
    return "".join(pieces) + _renamed(text[done:], names)


def _renamed(text: str, names: NameMap) -> str:
    text = NEURON.sub(lambda m: names.neuron(m.group(1)), text_in_notation(text, names))
    return _DOUBLED.sub(r"(\1)", text)


def _only_example(match: re.Match, names: NameMap) -> str:
    """--only w5,delta_o1 → --only w5,785,Err849 (hkp): each name as --only takes it (elide.parse_only)."""
    quote, patterns = match.group(1), match.group(2)
    renamed = ",".join(TOKEN.sub(lambda m: names.name(m.group(0)), p) for p in patterns.split(","))
    return f"--only {quote}{renamed}{quote}"


def is_gap(row: tuple[str, ...]) -> bool:
    """The row an elided table shows in place of the rows left out: … in every column."""
    return bool(row) and all(cell == ELIDED for cell in row)


def is_layer_summary(headers: tuple[str, ...]) -> bool:
    """The per-layer summary of a large step (size.layer_summary)."""
    return headers[:2] == (say("quantity"), say("layer"))


def layer_summary_row(row: tuple[str, ...], names: NameMap) -> tuple[str, ...]:
    """quantity | layer | count | min (name) | max (name) | largest (name): a neuron's value named as the
    notation names that quantity of it (I45, -Err6, a^2_3), a parameter by its name."""
    kind = row[0]

    def cell(text: str) -> str:
        if kind in _NEURON_KINDS:
            text = _NAMED.sub(lambda m: f"({kind}_{m.group(1)})", text)
        return note_in_notation(text, names)
    return (note_in_notation(kind, names), note_in_notation(row[1], names), row[2], *map(cell, row[3:]))
