"""A worked solution (document.py) as GitHub-flavoured Markdown: formulas as ```math blocks (a
LaTeX `aligned` environment, see render_latex.aligned_lines) and $`…`$ inline math."""

from __future__ import annotations

import re

from .document import AnswerTable, Bullets, Document, Equations, Grid, Heading, Inline, Paragraph, Picture
from .mathtext import to_latex
from .render_latex import aligned_lines


def md_escape(text: str) -> str:
    """Text that Markdown (and the HTML it becomes) shows as written: its marks backslash-escaped,
    so a name like <script> or a | stays text, and a line break a space (a row or a heading stays one)."""
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", re.sub(r"\r\n|\r|\n", " ", text))


_md_escape = md_escape


def _md_inline(parts: Inline) -> str:
    out = []
    for kind, text in parts:
        out.append(_md_escape(text) if kind == "text" else f"$`{to_latex(text)}`$")
    return "".join(out)


def render_markdown(document: Document) -> str:
    """GitHub-flavoured Markdown; formulas as ```math blocks and $`…`$ inline math."""
    out = [f"# {_md_escape(document.title)}", ""]
    for block in document.blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * block.level} {_md_escape(block.text)}", ""]
        elif isinstance(block, Paragraph):
            out += [_md_inline(block.parts), ""]
        elif isinstance(block, Bullets):
            out += [f"- {_md_inline(item)}" for item in block.items] + [""]
        elif isinstance(block, Grid):
            out.append("| " + " | ".join(block.headers) + " |")
            out.append("|" + "---|" * len(block.headers))
            out += ["| " + " | ".join(_md_inline(cell) for cell in row) + " |" for row in block.rows]
            out.append("")
        elif isinstance(block, Picture):
            out += [f"![{_md_escape(block.alt)}]({block.file})", ""]
        elif isinstance(block, AnswerTable):
            out += ["| " + " | ".join(block.headers) + " |", "|---|---|"]
            out += [f"| {_md_inline(item)} | |" for item in block.items] + [""]
        elif isinstance(block, Equations):
            out += ["```math", r"\begin{aligned}", " \\\\\n".join(aligned_lines(block)), r"\end{aligned}", "```", ""]
    return "\n".join(out)
