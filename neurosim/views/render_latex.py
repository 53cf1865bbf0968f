"""A worked solution (document.py) as a complete LaTeX document (article, amsmath) that compiles
with pdflatex; also the `aligned` lines of an Equations block, which Markdown's math blocks use.

Prose goes through `latex_text` (special characters escaped, Unicode symbols as commands, ASCII
only); formula text through mathtext.to_latex.
"""

from __future__ import annotations

import unicodedata

from ..messages import language
from .document import AnswerTable, Bullets, Document, Equations, Grid, Heading, Inline, Paragraph, Picture
from .equation_lines import equation_lines
from .mathtext import to_latex

_TEXT_LATEX = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "%": r"\%",
    "_": r"\_", "^": r"\^{}", "~": r"\~{}", "<": r"\textless{}", ">": r"\textgreater{}",
    "|": r"\textbar{}", "½": r"$\frac{1}{2}$", "·": r"$\cdot$", "Σ": r"$\Sigma$", "η": r"$\eta$",
    "δ": r"$\delta$", "∂": r"$\partial$", "→": r"$\to$", "←": r"$\leftarrow$", "≥": r"$\geq$",
    "≤": r"$\leq$", "×": r"$\times$", "−": "-", "—": "---", "–": "--", "…": r"\dots{}", "²": r"$^2$",
    "³": r"$^3$", "‘": "`", "’": "'", "“": "``", "”": "''", "≈": r"$\approx$",
    "'": "'", '"': "''", "Δ": r"$\Delta$", "√": r"$\surd$", "ε": r"$\varepsilon$", "α": r"$\alpha$",
    "β": r"$\beta$", "μ": r"$\mu$", "λ": r"$\lambda$", "τ": r"$\tau$",
}

_PREAMBLE = (
    r"\documentclass[11pt]{article}",
    r"\usepackage[T1]{fontenc}",
    r"\usepackage{amsmath}",
    r"\usepackage{longtable}",
    r"\allowdisplaybreaks",
    r"\setlength{\parindent}{0pt}",
    r"\sloppy",
    r"\setlength{\parskip}{0.5em}",
    r"\addtolength{\textwidth}{3cm}\addtolength{\oddsidemargin}{-1.5cm}",
)

_HEADING_COMMANDS = {2: r"\section*", 3: r"\subsection*", 4: r"\subsubsection*"}


def latex_text(text: str) -> str:
    """Prose as LaTeX: special characters escaped, Unicode symbols as commands; ASCII only, but for
    Chinese characters and punctuation in a Chinese document (ctex typesets them)."""
    cjk = language() == "zh"
    out = []
    for index, char in enumerate(text):
        if char == "-" and text[index + 1:index + 2] == "-":
            out.append("-{}")  # keep -- and --steps from becoming dashes
        elif char in _TEXT_LATEX:
            out.append(_TEXT_LATEX[char])
        elif char.isascii() or (cjk and unicodedata.east_asian_width(char) in "WF"):
            out.append(char)
        else:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(plain if plain else f"[U+{ord(char):04X}]")
    return "".join(out)


def aligned_lines(equations: Equations) -> list[str]:
    """LaTeX lines of an aligned environment: lhs &= rhs, then &= next side or &\\quad continuation."""
    out = []
    for eq in equations.items:
        for k, (new_side, line) in enumerate(equation_lines(eq)):
            body = to_latex(line)
            if k == 0:
                out.append(f"{to_latex(eq.lhs)} &= {body}")
            else:
                out.append(f"&= {body}" if new_side else rf"&\quad {body}")
        if eq.note:
            out[-1] += rf"\quad\text{{({latex_text(eq.note)})}}"
    return out


def _latex_inline(parts: Inline) -> str:
    return "".join(latex_text(text) if kind == "text" else f"${to_latex(text)}$" for kind, text in parts)


def _latex_block(block) -> list[str]:
    """The lines of one block, and the blank line after it."""
    if isinstance(block, Heading):
        command = _HEADING_COMMANDS.get(block.level, r"\paragraph*")
        return [f"{command}{{{latex_text(block.text)}}}", ""]
    if isinstance(block, Paragraph):
        return [_latex_inline(block.parts), ""]
    if isinstance(block, Bullets):
        return ([r"\begin{itemize}"] + [rf"\item {_latex_inline(item)}" for item in block.items]
                + [r"\end{itemize}", ""])
    if isinstance(block, Grid):
        return ([r"\begin{longtable}{" + "l" * len(block.headers) + "}",
                 " & ".join(rf"\textbf{{{latex_text(h)}}}" for h in block.headers) + r" \\ \hline"]
                + [" & ".join(_latex_inline(cell) for cell in row) + r" \\" for row in block.rows]
                + [r"\end{longtable}", ""])
    if isinstance(block, Equations):
        return [r"\begin{align*}", " \\\\\n".join(aligned_lines(block)), r"\end{align*}", ""]
    if isinstance(block, Picture):
        return [r"\begin{center}",
                rf"\includegraphics[width=\linewidth,height=0.45\textheight,keepaspectratio]{{{block.file}}}",
                r"\end{center}", ""]
    if isinstance(block, AnswerTable):
        return ([r"\begin{longtable}{|l|p{8cm}|}", r"\hline",
                 " & ".join(rf"\textbf{{{latex_text(h)}}}" for h in block.headers) + r" \\ \hline"]
                + [_latex_inline(item) + r" & \rule{0pt}{2.2em} \\ \hline" for item in block.items]
                + [r"\end{longtable}", ""])
    return []


def preamble() -> tuple[str, ...]:
    """The document's preamble: pdflatex's, or for a Chinese document ctex's (which needs xelatex)."""
    if language() != "zh":
        return _PREAMBLE
    return ("% Chinese text: compile with xelatex (the ctex package typesets it).",
            _PREAMBLE[0], r"\usepackage{ctex}", *_PREAMBLE[2:])


def render_latex(document: Document) -> str:
    """A complete LaTeX document (article, amsmath) that compiles with pdflatex (a Chinese one with xelatex)."""
    pictures = any(isinstance(block, Picture) for block in document.blocks)
    out = [*preamble(), *([r"\usepackage{graphicx}"] if pictures else []),
           r"\title{" + latex_text(document.title) + "}",
           r"\author{neurosim}",
           r"\date{}",
           r"\begin{document}",
           r"\maketitle",
           ""]
    for block in document.blocks:
        out += _latex_block(block)
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"
