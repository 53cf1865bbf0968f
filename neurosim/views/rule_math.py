"""The learning rules' names in formulas (mathtext.py reads the formula text): state quantities
v_w5, mhat_w5, Δw5, v_w5@1 (the value at step 1), and the rules' Greek parameters α, β1, β2, μ, λ,
ε, τ, η+, η-, as LaTeX or HTML."""

from __future__ import annotations

import html
import re

_PARAM = r"(?:w\d+|b\d+|b_[iho]\d+(?:_\d+)?)"
PREFIXES = ("mhat", "vhat", "vmax", "gbar", "denom", "slope", "decay", "grad", "prev", "sign", "step", "buf",
            "v", "m", "G")
STATE = rf"(?:Δ{_PARAM}|(?:{'|'.join(PREFIXES)})_{_PARAM})(?:@\d+)?(?![A-Za-z0-9_+])"
GREEK = r"[αβμλετη](?:1|2|\+|-(?![\d.(]))?"

_LATEX_GREEK = {"α": r"\alpha", "β": r"\beta", "μ": r"\mu", "λ": r"\lambda", "ε": r"\varepsilon", "τ": r"\tau",
                "η": r"\eta"}
_LATEX_HEAD = {"mhat": r"\hat{m}", "vhat": r"\hat{v}", "vmax": r"v^{\max}", "gbar": r"\bar{g}",
               "denom": r"\mathit{denom}", "slope": "S", "decay": r"\mathit{decay}", "grad": "g",
               "prev": r"g^{\mathit{prev}}", "sign": r"\mathit{sign}", "step": r"\mathit{step}", "buf": r"\mathit{buf}"}


WORDS_LATEX = {"mhat": r"\hat{m}", "vhat": r"\hat{v}", "gbar": r"\bar{g}", "vmax": r"v^{\max}"}
WORDS_HTML = {"mhat": "m̂", "vhat": "v̂", "gbar": "ḡ", "vmax": "v<sup>max</sup>"}


def _split(text: str) -> tuple[str, str, str]:
    """'v_w5@1' → ('v', 'w5', '1'); 'Δw5' → ('Δ', 'w5', '')."""
    text, _, step = text.partition("@")
    if text.startswith("Δ"):
        return "Δ", text[1:], step
    prefix, _, param = text.partition("_")
    return prefix, param, step


def _param_latex(param: str) -> str:
    match = re.fullmatch(r"([wb])(\d+)", param)
    if match:
        return f"{match.group(1)}_{{{match.group(2)}}}"
    return "b_{" + param[2:].replace("_", r"\_") + "}"


def state_latex(text: str) -> str:
    """v_w5 → v_{w_{5}}; mhat_w5@2 → \\hat{m}_{w_{5}}^{(2)}; Δw5 → \\Delta w_{5}."""
    prefix, param, step = _split(text)
    if prefix == "Δ":
        result = r"\Delta " + _param_latex(param)
    else:
        result = f"{_LATEX_HEAD.get(prefix, prefix)}_{{{_param_latex(param)}}}"
    return result + (f"^{{({step})}}" if step else "")


def state_html(text: str) -> str:
    prefix, param, step = _split(text)
    head = "Δ" + html.escape(param) if prefix == "Δ" else f"<i>{html.escape(prefix)}</i><sub>{html.escape(param)}</sub>"
    return head + (f"<sup>({html.escape(step)})</sup>" if step else "")


def greek_latex(text: str) -> str:
    """β1 → \\beta_{1}; η+ → \\eta^{+}."""
    head, tail = _LATEX_GREEK[text[0]], text[1:]
    if not tail:
        return head + " "
    return f"{head}_{{{tail}}}" if tail.isdigit() else f"{head}^{{{tail}}}"


def greek_html(text: str) -> str:
    head, tail = text[0], text[1:]
    if not tail:
        return head
    return f"{head}<sub>{tail}</sub>" if tail.isdigit() else f"{head}<sup>{html.escape(tail)}</sup>"
