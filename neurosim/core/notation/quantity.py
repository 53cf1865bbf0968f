"""neurosim's own quantity names (DESIGN.md §4) read as structured records, and found in formula text.

`parse("dE_o1/dout_h1[2]")` gives `Quantity("contribution", "h1", "o1", plus=False, sample=2)`:
the kind of quantity, the neuron or parameter it is about (`subject`), a second one where the kind
has two (`other`: the neuron above for dE_o1/dout_h1, the neuron for dnet_o1/dw5, a rule's state
prefix for v_w5), the `+` of a value after the update, and a batch sample tag. Formula text also
names the inputs (i1) and targets (target_o1); they parse too. `TOKEN` finds every name in a text.
"""

from __future__ import annotations

import functools
import re

import attrs

# neurons: inputs i, hidden h, outputs o, feature maps c, pooling p (core/conv.py), by time step _t2,
# a Jordan layer's state units s (core/recurrent.py)
_N = r"[ihocps]\d+(?:_\d+)*(?:_t\d+)?"
# parameters: weights w, kernel entries k1_11, biases b1, b_h1, b_k1 (a kernel's)
_P = rf"(?:w\d+|k\d+(?:_\d+)+|b\d+|b_{_N}|b_k\d+(?:_\d+)*)"
SUMMARIES = ("SAE", "SSE", "MSE")

# (kind, pattern): the first pattern that matches the whole name (without + and [s]) decides
_PATTERNS = [(kind, re.compile(pattern)) for kind, pattern in (
    ("loss", r"E_total"),
    ("report", r"E_report"),
    ("summary", "|".join(SUMMARIES)),
    ("net", rf"net_({_N})"),
    ("out", rf"out_({_N})"),
    ("target", rf"target_({_N})"),
    ("delta", rf"delta_({_N})"),
    ("error", rf"E_({_N})"),
    ("raw_error", rf"e_({_N})"),
    ("exp", rf"e\^net_({_N})"),
    ("exp_sum", r"Σe\^net"),
    ("dE_dout", rf"dE/dout_({_N})"),
    ("dE_dnet", rf"dE/dnet_({_N})"),  # = delta; prose says it this way
    ("dout_dnet", rf"dout_({_N})/dnet_\1"),
    ("contribution", rf"dE_({_N})/dout_({_N})"),
    ("dnet_dp", rf"dnet_({_N})/d({_P})"),
    ("gradient", rf"dE/d({_P})"),
    ("change", rf"Δ({_P})"),
    ("param", rf"({_P})"),
    ("input", r"(i\d+(?:_t\d+)?|[hs]\d+_t0)"),  # (a sequence's h_0 or y_0: h1_t0, s1_t0)
    ("rule_state", rf"([A-Za-z][A-Za-z0-9]*)_({_P})"),
)]

# Every name in a formula text, longest forms first; `(?<![\w/])` and `(?![\w(])` keep it whole.
TOKEN = re.compile(
    rf"(?<![\w/^])(?:dE_{_N}/dout_{_N}|dE/dout_{_N}|dE/dnet_{_N}|dout_{_N}/dnet_{_N}|dnet_{_N}/d{_P}|dE/d{_P}|Δ{_P}"
    rf"|(?:net|out|target|delta|E|e)_{_N}|e\^net_{_N}|Σe\^net|E_total|E_report|{'|'.join(SUMMARIES)}|{_P}|i\d+(?:_t\d+)?|[hs]\d+_t0"
    rf"|[a-z][a-z0-9]*_{_P})\+?(?:\[\d+\])?(?![A-Za-z0-9_(])")


@attrs.frozen
class Quantity:
    """A quantity name read: kind, subject (a neuron or parameter name), other, plus, sample."""

    kind: str
    subject: str = ""
    other: str = ""
    plus: bool = False
    sample: int | None = None

    @property
    def text(self) -> str:
        """The name as neurosim writes it (the inverse of `parse`)."""
        return format_name(self)


@functools.lru_cache(maxsize=1 << 16)  # a table in a notation reads each name several times
def parse(name: str) -> Quantity | None:
    """The record of one of neurosim's quantity names, or None if `name` is not one."""
    sample = None
    match = re.fullmatch(r"(.*)\[(\d+)\]", name)
    if match:
        name, sample = match.group(1), int(match.group(2))
    plus = name.endswith("+")
    base = name[:-1] if plus else name
    for kind, pattern in _PATTERNS:
        match = pattern.fullmatch(base)
        if match:
            groups = match.groups()
            if kind == "contribution":  # dE_Y/dout_X: about X, sent back by Y
                return Quantity(kind, groups[1], groups[0], plus, sample)
            if kind == "dnet_dp":  # dnet_Y/dP: about P, for neuron Y
                return Quantity(kind, groups[1], groups[0], plus, sample)
            if kind == "rule_state":  # v_w5: about w5, prefix v
                return Quantity(kind, groups[1], groups[0], plus, sample)
            subject = groups[0] if groups else base
            return Quantity(kind, subject, "", plus, sample)
    return None


def kind_tests(kinds) -> list:
    """A fullmatch test for the names of each of `kinds` (with their + and sample tags); a name of
    another kind may pass one too (the test says only that the name may be of those kinds)."""
    return [re.compile(rf"(?:{pattern.pattern})\+?(?:\[\d+\])?").fullmatch for kind, pattern in _PATTERNS
            if kind in kinds]


_FORMATS = {
    "loss": "E_total", "report": "E_report", "summary": "{q.subject}", "net": "net_{q.subject}",
    "out": "out_{q.subject}", "target": "target_{q.subject}", "delta": "delta_{q.subject}",
    "error": "E_{q.subject}", "raw_error": "e_{q.subject}", "exp": "e^net_{q.subject}", "exp_sum": "Σe^net",
    "dE_dout": "dE/dout_{q.subject}", "dE_dnet": "dE/dnet_{q.subject}",
    "dout_dnet": "dout_{q.subject}/dnet_{q.subject}",
    "contribution": "dE_{q.other}/dout_{q.subject}", "dnet_dp": "dnet_{q.other}/d{q.subject}",
    "gradient": "dE/d{q.subject}", "change": "Δ{q.subject}", "param": "{q.subject}", "input": "{q.subject}",
    "rule_state": "{q.other}_{q.subject}",
}


def format_name(q: Quantity) -> str:
    text = _FORMATS[q.kind].format(q=q) + ("+" if q.plus else "")
    return text + (f"[{q.sample}]" if q.sample is not None else "")
