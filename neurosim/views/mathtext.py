"""Formula text as neurosim writes it (Unicode, DESIGN.md §4 names) turned into LaTeX or HTML.

The trace tables, the activation and loss templates all write formulas as text:
`dE/dout_o1·dout_o1/dnet_o1·dnet_o1/dw5`, `1/(1+e^(-net_h1))`, `½(0.01-0.75136507)²`. This module
reads that text once (tokens, then parenthesised groups) and writes it as LaTeX math
(\\frac{\\partial E}{\\partial out_{o1}}, e^{-net_{h1}}, \\tfrac{1}{2}(...)^{2}) or as HTML with
<sub>/<sup>, so the worked solutions reuse the same formulas instead of keeping second copies.

Recognised: quantity names (net_h1, out_o1, target_o1, delta_o1, E_o1, E_total, w5, b1, b_h1, i1,
with an optional `+` for the value after the update and a sample tag [2] or [s]), partial
derivatives (dE/dout_o1, dE_o1/dout_h1, dout_h1/dnet_h1, dnet_o1/dw5), numbers (3.1e-12 included),
functions (ln, tanh, max, sign), e^…, Σ, Σ_k, ½, ², ·, η, …; any other word is set as text.
The LaTeX produced is plain ASCII.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import attrs

from .mathnames import general_derivative_html, general_derivative_latex, name_html, name_latex
from .rule_math import GREEK, STATE, WORDS_HTML, WORDS_LATEX, greek_html, greek_latex, state_html, state_latex

_NEURON = r"(?:[iho]\d+(?:_\d+)?|[jk])"
_PARAM = rf"(?:w\d*|b\d*|b_{_NEURON})"
_TAG = r"(?:\[(?:\d+|s)\])?"
_DERIVATIVE = (rf"d(?:E(?:_{_NEURON})?|out(?:_{_NEURON})?|net(?:_{_NEURON})?)"
               rf"/d(?:out(?:_{_NEURON})?|net(?:_{_NEURON})?|{_PARAM}|p)(?![A-Za-z0-9_])")  # ² may follow
_QUANTITY = rf"(?:(?:net|out|target|delta|E)_(?:{_NEURON}|total)|{_PARAM}|i\d+)(?:\+(?![\w(]))?"
# Names in a textbook's notation (core/notation): Nielsen's z^2_1, w^2_12, y_1; Han's I6, Err6, w46,
# theta6, θ6; NumPy's W1[0][1], h1[0], dscores[0]; each with an optional + and sample tag.
_INDEXED = r"(?:[A-Za-zδθ][A-Za-z]*\^\d+(?![.\d])(?:_[\d,]+)?|[A-Za-z]+\d+,\d+)"  # z^2_1, b^2, w1,12 (not e^44.5)
_NAME = (rf"(?:[A-Za-z][A-Za-z0-9]*(?:\[\d+\])+|{_INDEXED}|[A-Za-z]_[\d,]+|(?:[A-Za-z]+|θ)\d+)")
_PLUS = r"(?:\+(?![\w(]))?"
_END = r"(?![A-Za-z0-9_])"  # not \w: a ² after a name is a square, not part of the name

_TOKEN = re.compile(
    rf"(?P<state>{STATE})"  # a learning rule's quantities: v_w5, mhat_w5@1, Δw5 (rule_math.py)
    rf"|(?P<greek>{GREEK})"
    rf"|(?P<deriv>{_DERIVATIVE}{_TAG})"
    rf"|(?P<gderiv>d(?:E|C|{_NAME}|[A-Za-z])/d(?:{_NAME}|[A-Za-z]){_TAG}){_END}"
    rf"|(?P<early>{_INDEXED}{_PLUS}{_TAG}){_END}"
    rf"|(?P<qty>{_QUANTITY}{_TAG}){_END}"
    rf"|(?P<name>{_NAME}{_PLUS}{_TAG}){_END}"
    r"|(?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<sum>Σ(?:_[ks])?)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<space>\s+)"
    r"|(?P<op>.)",
    re.S,
)

NAME_KINDS = ("state", "deriv", "qty", "gderiv", "name", "early")  # the tokens that are quantity names
FUNCTIONS = {"ln": r"\ln", "tanh": r"\tanh", "max": r"\max", "min": r"\min", "sign": r"\operatorname{sign}",
             "exp": r"\exp"}
SYMBOLS_LATEX = {"·": r"\cdot ", "½": r"\tfrac{1}{2}", "²": "^{2}", "η": r"\eta ", "…": r"\dots ",
                 "∂": r"\partial ",
                 "−": "-", "→": r"\to ", "≥": r"\geq ", "≤": r"\leq ", "×": r"\times ", "δ": r"\delta ",
                 "|": "|", "{": r"\{", "}": r"\}", "%": r"\%", "#": r"\#", "&": r"\&", "$": r"\$",
                 "~": r"\sim ", "\\": r"\backslash ", "Δ": r"\Delta "}
ASCII_OPS = set("+-/*()[],.=<>!:;'?")


@attrs.frozen
class Token:
    kind: str
    text: str


@attrs.frozen
class Group:
    """A parenthesised part: `items` between `(` and `)`."""

    items: tuple


Node = Token | Group


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind != "space":
            tokens.append(Token(kind, match.group()))
        elif tokens and tokens[-1].kind != "space":
            tokens.append(Token("space", " "))
    return tokens


def parse(text: str) -> tuple[Node, ...]:
    """Tokens with (…) turned into Groups; an unbalanced parenthesis stays a plain symbol."""
    stack: list[list] = [[]]
    for token in tokenize(text):
        if token.kind == "op" and token.text == "(":
            stack.append([])
        elif token.kind == "op" and token.text == ")" and len(stack) > 1:
            items = stack.pop()
            stack[-1].append(Group(tuple(items)))
        else:
            stack[-1].append(token)
    while len(stack) > 1:  # unclosed: put the "(" back as a symbol
        items = stack.pop()
        stack[-1].extend([Token("op", "("), *items])
    return tuple(stack[0])


# -- names ----------------------------------------------------------------------------------------
def _split_quantity(text: str) -> tuple[str, str, bool, str]:
    """'w5+' → ('w', '5', True, ''); 'net_h1[2]' → ('net', 'h1', False, '2')."""
    tag = ""
    if text.endswith("]"):
        text, tag = text[:-1].split("[")
    plus = text.endswith("+")
    text = text.rstrip("+")
    if "_" in text:
        base, sub = text.split("_", 1)
    else:
        match = re.fullmatch(r"([a-z])(\d+)", text)
        base, sub = (match.group(1), match.group(2)) if match else (text, "")
    return base, sub, plus, tag


def quantity_latex(text: str) -> str:
    """net_h1 → \\mathit{net}_{h1}; w5+ → w_{5}^{+}; delta_o1 → \\delta_{o1}; E_total → E_{total}."""
    base, sub, plus, tag = _split_quantity(text)
    head = {"delta": r"\delta", "E": "E", "net": r"\mathit{net}", "out": r"\mathit{out}",
            "target": r"\mathit{target}"}.get(base, base)
    sub = r"\mathit{total}" if sub == "total" else sub.replace("_", r"\_")
    result = f"{head}_{{{sub}}}" if sub else head
    if plus:
        result += "^{+}"
    if tag:
        result += f"^{{[{tag}]}}" if not plus else ""
        if plus:
            result = result[:-4] + f"^{{+[{tag}]}}"
    return result


def quantity_html(text: str) -> str:
    base, sub, plus, tag = _split_quantity(text)
    head = {"delta": "δ"}.get(base, base)
    out = f"<i>{html.escape(head)}</i>" if base not in ("delta", "E") else html.escape(head)
    if sub:
        out += f"<sub>{html.escape(sub)}</sub>"
    if plus or tag:
        out += f"<sup>{'+' if plus else ''}{html.escape(f'[{tag}]') if tag else ''}</sup>"
    return out


def _derivative_parts(text: str) -> tuple[str, str, str]:
    tag = ""
    if text.endswith("]"):
        text, tag = text[:-1].split("[")
    top, bottom = text.split("/")
    return top[1:], bottom[1:], tag


def derivative_latex(text: str) -> str:
    top, bottom, tag = _derivative_parts(text)
    result = rf"\frac{{\partial {quantity_latex(top)}}}{{\partial {quantity_latex(bottom)}}}"
    return result + (f"^{{[{tag}]}}" if tag else "")


def derivative_html(text: str) -> str:
    top, bottom, tag = _derivative_parts(text)
    result = f"∂{quantity_html(top)}/∂{quantity_html(bottom)}"
    return result + (f"<sup>[{html.escape(tag)}]</sup>" if tag else "")


def number_latex(text: str) -> str:
    if "e" in text.lower():
        mantissa, exponent = re.split("[eE]", text)
        return rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text


def number_html(text: str) -> str:
    if "e" in text.lower():
        mantissa, exponent = re.split("[eE]", text)
        return f"{mantissa}·10<sup>{int(exponent)}</sup>"
    return text


# -- LaTeX --------------------------------------------------------------------------------------
def to_latex(text: str) -> str:
    """Formula text → LaTeX math (without the surrounding $ … $)."""
    return _latex_nodes(parse(text)).strip()


def _is_operand(node: Node) -> bool:
    return isinstance(node, Group) or node.kind in ("num", "qty", "deriv", "state", "name", "early", "gderiv") or (
        node.kind == "word" and len(node.text) == 1)


def _latex_nodes(nodes) -> str:
    out: list[str] = []
    nodes = list(nodes)
    i = 0
    while i < len(nodes):
        node = nodes[i]
        nxt = nodes[i + 1] if i + 1 < len(nodes) else None
        after = nodes[i + 2] if i + 2 < len(nodes) else None
        # a/(b) and (a)/(b) → \frac{a}{b}
        if (_is_operand(node) and isinstance(nxt, Token) and nxt.text == "/" and isinstance(after, Group)
                and (isinstance(node, Group) or node.kind == "num")):
            top = _latex_nodes(node.items) if isinstance(node, Group) else _latex_node(node)
            out.append(rf"\frac{{{top}}}{{{_latex_nodes(after.items)}}}")
            i += 3
            continue
        # ^(…) and ^token → ^{…}; √(…) and √token → \sqrt{…}
        if isinstance(node, Token) and node.text in ("^", "√") and nxt is not None:
            inner = _latex_nodes(nxt.items) if isinstance(nxt, Group) else _latex_node(nxt)
            out.append(f"^{{{inner}}}" if node.text == "^" else rf"\sqrt{{{inner}}}")
            i += 2
            continue
        out.append(_latex_node(node))
        i += 1
    return "".join(out)


def _latex_node(node: Node) -> str:
    if isinstance(node, Group):
        return r"\left(" + _latex_nodes(node.items) + r"\right)"
    kind, text = node.kind, node.text
    if kind in ("state", "greek"):
        return state_latex(text) if kind == "state" else greek_latex(text)
    if kind == "deriv":
        return derivative_latex(text)
    if kind == "qty":
        return quantity_latex(text)
    if kind == "gderiv":
        return general_derivative_latex(text)
    if kind in ("name", "early"):
        return name_latex(text)
    if kind == "num":
        return number_latex(text)
    if kind == "sum":
        return r"\sum" + (f"_{{{text[2:]}}}" if "_" in text else "") + " "
    if kind == "space":
        return " "
    if kind == "word":
        if text in FUNCTIONS or text in WORDS_LATEX:
            return FUNCTIONS.get(text) or WORDS_LATEX[text]
        if text == "inf":
            return r"\infty "
        if text == "e" or len(text) == 1:
            return text
        if text in ("net", "out", "target"):
            return rf"\mathit{{{text}}}"
        return r"\text{ " + text.replace("_", r"\_") + " }"
    if text in SYMBOLS_LATEX:
        return SYMBOLS_LATEX[text]
    if text in ASCII_OPS or text.isascii() and text.isalnum():
        return text
    return rf"\text{{[U+{ord(text):04X}]}}"


# -- HTML ---------------------------------------------------------------------------------------
def to_html(text: str, link: Callable[[str, str], str] | None = None) -> str:
    """Formula text → HTML (escaped, names with <sub>/<sup>); `link(name, its HTML)` gives the HTML
    written for each quantity name (a page's factor links, views/page_equations.py)."""
    return _html_nodes(parse(text), link).strip()


def _html_nodes(nodes, link=None) -> str:
    out: list[str] = []
    nodes = list(nodes)
    i = 0
    while i < len(nodes):
        node = nodes[i]
        nxt = nodes[i + 1] if i + 1 < len(nodes) else None
        if isinstance(node, Token) and node.text == "^" and nxt is not None:
            inner = _html_nodes(nxt.items, link) if isinstance(nxt, Group) else _html_node(nxt, link)
            out.append(f"<sup>{inner}</sup>")
            i += 2
            continue
        out.append(_html_node(node, link))
        i += 1
    return "".join(out)


def _html_node(node: Node, link=None) -> str:
    if isinstance(node, Group):
        return "(" + _html_nodes(node.items, link) + ")"
    kind, text = node.kind, node.text
    if link is not None and kind in NAME_KINDS:
        return link(text, _html_node(node))
    if kind in ("state", "greek"):
        return state_html(text) if kind == "state" else greek_html(text)
    if kind == "deriv":
        return derivative_html(text)
    if kind == "qty":
        return quantity_html(text)
    if kind == "gderiv":
        return general_derivative_html(text)
    if kind in ("name", "early"):
        return name_html(text)
    if kind == "num":
        return number_html(text)
    if kind == "sum":
        return "Σ" + (f"<sub>{text[2:]}</sub>" if "_" in text else "")
    if kind == "word" and text in ("net", "out", "target"):
        return f"<i>{text}</i>"
    if kind == "word" and text in WORDS_HTML:
        return WORDS_HTML[text]
    if kind == "word" and text == "inf":
        return "∞"
    if kind == "op" and text == "-":
        return "−"
    return html.escape(text)
