"""A table of text cells laid out exactly as tabulate lays it out (formats simple, github, latex and
html, every column left-aligned), without tabulate's pass over every cell to guess its type.

tabulate checks each cell for ANSI codes, booleans and numbers even with `disable_numparse=True`;
the stage tables' cells are already formatted text, and for them that check was most of the time a
step took to print (issue 19). `layout` returns None for what it does not cover — a table without
headers or rows, a cell over several lines or with a control character — and tables.py then asks
tabulate itself. tests/test_text_table.py holds `layout` to tabulate's own output.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from wcwidth import wcswidth

MIN_PADDING = 2  # tabulate's room beside a header
_LATEX = {"&": "\\&", "%": "\\%", "$": "\\$", "#": "\\#", "_": "\\_", "^": "\\^{}", "{": "\\{", "}": "\\}",
          "~": "\\textasciitilde{}", "\\": "\\textbackslash{}", "<": "\\ensuremath{<}", ">": "\\ensuremath{>}"}


def _plain(text) -> bool:
    """Text on one line without ANSI codes (which tabulate would treat otherwise); ASCII text without
    control characters (measured by its length, as wcwidth does)."""
    if type(text) is not str or "\n" in text or "\r" in text or "\x1b" in text:
        return False
    return text.isprintable() or not text.isascii()


def layout(headers: Sequence[str], rows: Sequence[Sequence[str]], fmt: str) -> str | None:
    """The table in tabulate's `fmt` ("simple", "github", "latex" or "html"), or None if tabulate must."""
    n = len(headers)
    if not n or not rows or any(len(row) != n for row in rows) or not all(_plain(h) for h in headers):
        return None
    widths = [wcswidth(h) + MIN_PADDING for h in headers]
    cell_widths, cells = [], []
    for row in rows:
        measured, stripped = [], []
        for k, cell in enumerate(row):
            if type(cell) is not str:
                return None
            cell = cell.strip()  # as tabulate does (its PRESERVE_WHITESPACE is off)
            if not _plain(cell):
                return None
            stripped.append(cell)
            w = len(cell) if cell.isascii() else wcswidth(cell)
            measured.append(w)
            if w > widths[k]:
                widths[k] = w
        cell_widths.append(measured)
        cells.append(stripped)
    head = [_pad(h, widths[k], len(h) if h.isascii() else wcswidth(h)) for k, h in enumerate(headers)]
    body = [[_pad(cell, widths[k], w) for k, (cell, w) in enumerate(zip(row, measured))]
            for row, measured in zip(cells, cell_widths)]
    return _FORMATS[fmt](head, body, widths)


def _pad(text: str, width: int, visible: int) -> str:
    """`text` left-aligned in `width` terminal columns (a wide character takes two)."""
    return text + " " * (width - visible)


def _simple(head: list[str], body: list[list[str]], widths: list[int]) -> str:
    lines = ["  ".join(head).rstrip(), "  ".join("-" * w for w in widths).rstrip()]
    lines += ["  ".join(row).rstrip() for row in body]
    return "\n".join(lines)


def _github(head: list[str], body: list[list[str]], widths: list[int]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def _latex(head: list[str], body: list[list[str]], widths: list[int]) -> str:
    def row(cells: list[str]) -> str:
        return ("&".join(" " + "".join(_LATEX.get(c, c) for c in cell) + " " for cell in cells) + "\\\\").rstrip()
    lines = ["\\begin{tabular}{" + "l" * len(widths) + "}", "\\hline", row(head), "\\hline"]
    lines += [row(cells) for cells in body]
    lines.append("\\hline\n\\end{tabular}")
    return "\n".join(lines)


def _html(head: list[str], body: list[list[str]], widths: list[int]) -> str:
    def row(tag: str, cells: list[str]) -> str:
        return "<tr>" + "".join(f"<{tag}>{escape(c)}</{tag}>" for c in cells).rstrip() + "</tr>"
    lines = ["<table>\n<thead>\n" + row("th", head) + "\n</thead>\n<tbody>"]
    lines += [row("td", cells) for cells in body]
    lines.append("</tbody>\n</table>")
    return "\n".join(lines)


_FORMATS = {"simple": _simple, "github": _github, "latex": _latex, "html": _html}
