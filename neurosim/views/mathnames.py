"""Names in a textbook's notation (core/notation) as LaTeX and HTML, for mathtext.py: Nielsen's
z^2_1 and w^2_12, Han's I6, Err6, w46 and theta6, NumPy's W1[0][1] and dscores[0], with the + of a
value after the update, and derivatives of them (dE/dO6, dC/dw^2_11, dh1[0]/dz1[0])."""

from __future__ import annotations

import html
import re


def _split_name(text: str) -> tuple[str, str, str, bool, str]:
    """(base, superscript, subscript, plus, brackets): 'z^2_1+' → ('z', '2', '1', True, '');
    'Err6' → ('Err', '', '6', False, ''); 'W1[0][1]' → ('W', '', '1', False, '[0][1]')."""
    brackets = ""
    plus = text.endswith("+") or "+[" in text
    text = text.replace("+", "")
    if "[" in text:  # h1[0], W1[0][1], Err6[2]: indices and sample tags are written as they are
        text, brackets = text[:text.index("[")], text[text.index("["):]
    match = re.fullmatch(r"([A-Za-zδθ][A-Za-z]*)\^(\d+)(?:_([\d,]+))?", text) or \
        re.fullmatch(r"([A-Za-z])()_([\d,]+)", text) or re.fullmatch(r"([A-Za-z]+|θ)()(\d+(?:,\d+)?)", text)
    if match:
        return match.group(1), match.group(2), match.group(3) or "", plus, brackets
    return text, "", "", plus, brackets


_GREEK = {"delta": r"\delta", "δ": r"\delta", "theta": r"\theta", "θ": r"\theta", "eta": r"\eta"}


def name_latex(text: str) -> str:
    """z^2_1 → z^{2}_{1}; Err6 → \\mathit{Err}_{6}; theta6+ → \\theta_{6}^{+}; W1[0][1] → \\mathit{W1}[0][1]."""
    base, sup, sub, plus, brackets = _split_name(text)
    head = _GREEK.get(base) or (base if len(base) == 1 else r"\mathit{" + base + "}")
    result = head + (f"^{{{sup}}}" if sup else "") + (f"_{{{sub}}}" if sub else "") + brackets
    return result + (("{}" if sup or brackets else "") + "^{+}" if plus else "")


def name_html(text: str) -> str:
    base, sup, sub, plus, brackets = _split_name(text)
    out = f"<i>{html.escape({'delta': 'δ', 'theta': 'θ'}.get(base, base))}</i>"
    if sup:
        out += f"<sup>{html.escape(sup)}</sup>"
    if sub:
        out += f"<sub>{html.escape(sub)}</sub>"
    out += html.escape(brackets)
    return out + ("<sup>+</sup>" if plus else "")


def general_derivative_latex(text: str) -> str:
    top, bottom = text[1:].split("/d", 1)
    return rf"\frac{{\partial {name_latex(top)}}}{{\partial {name_latex(bottom)}}}"


def general_derivative_html(text: str) -> str:
    top, bottom = text[1:].split("/d", 1)
    return f"∂{name_html(top)}/∂{name_html(bottom)}"
