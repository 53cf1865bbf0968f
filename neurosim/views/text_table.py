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
from textwrap import TextWrapper

MIN_PADDING = 2  # tabulate's room beside a header
_LATEX = {"&": "\\&", "%": "\\%", "$": "\\$", "#": "\\#", "_": "\\_", "^": "\\^{}", "{": "\\{", "}": "\\}",
          "~": "\\textasciitilde{}", "\\": "\\textbackslash{}", "<": "\\ensuremath{<}", ">": "\\ensuremath{>}"}


# The non-ASCII characters neurosim writes that a terminal shows one column wide (Greek letters, signs
# of its formulas, super- and subscripts) and the combining circumflex of ŷ (no column of its own), as
# wcwidth measures them (tests/test_text_table.py): text of only these is measured without wcwidth,
# whose import is about a quarter of `neurosim run`'s start-up. Other text is measured by wcwidth.
_NARROW = frozenset("§°²³¹·½×ü–—…→∂−√≈≤≥⊙′ᵀⁱⁿ⁰⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉"
                    + "".join(map(chr, range(0x391, 0x3AA))) + "".join(map(chr, range(0x3B1, 0x3CA))))
_ZERO = frozenset("\u0302")
_ONE = _NARROW | frozenset(map(chr, range(0x20, 0x7F)))  # (with printable ASCII)
_ONE_OR_ZERO = _ONE | _ZERO


_TEXT = {str}


def width(text: str) -> int:
    """The terminal columns of one line of text, as wcwidth's `wcswidth` counts them."""
    if text.isascii() and text.isprintable():
        return len(text)
    characters = set(text)
    if characters <= _ONE:
        return len(text)
    if characters <= _ONE_OR_ZERO:
        return len(text) - sum(text.count(c) for c in _ZERO)
    from wcwidth import wcswidth  # (a wide, zero-width or control character: wcwidth's tables)
    return wcswidth(text)


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
    cells, cell_widths = [], []
    for row in rows:
        if set(map(type, row)) != _TEXT:  # (every cell a str)
            return None
        stripped = [cell.strip() for cell in row]  # as tabulate does (its PRESERVE_WHITESPACE is off)
        if not "".join(stripped).isprintable() and not all(map(_plain, stripped)):  # (one test for the row)
            return None
        cells.append(stripped)
        cell_widths.append([len(cell) if cell.isascii() else width(cell) for cell in stripped])
    widths = [max(column) for column in zip([width(h) + MIN_PADDING for h in headers], *cell_widths)]
    head = [_pad(h, widths[k], width(h)) for k, h in enumerate(headers)]
    body = [[cell + " " * (w - v) for cell, w, v in zip(row, widths, measured)]
            for row, measured in zip(cells, cell_widths)]
    return _FORMATS[fmt](head, body, widths)


class _Wrapper(TextWrapper):
    """textwrap as tabulate's copy of it wraps ASCII text: a word longer than the line is cut where
    the line ends (Python's own textwrap cuts it after a hyphen where it can)."""

    def _handle_long_word(self, reversed_chunks: list[str], cur_line: list[str], cur_len: int, width: int) -> None:
        space_left = 1 if width < 1 else width - cur_len
        if space_left > 0:
            cur_line.append(reversed_chunks[-1][:space_left])
            reversed_chunks[-1] = reversed_chunks[-1][space_left:]
        elif not cur_line:
            cur_line.append(reversed_chunks.pop())


def wrapped_layout(headers: Sequence[str], rows: Sequence[Sequence[str]],
                   maxcolwidths: Sequence[int | None]) -> str | None:
    """A plain ("simple") table whose columns with a width in `maxcolwidths` are wrapped to it as
    tabulate's `maxcolwidths` wraps them (textwrap's lines, long words broken), a row as tall as its
    tallest cell; or None if tabulate must: a wrapped cell with a character not of one column (each
    is a column of the width wrapped to), or "True"/"False"
    (which tabulate turns into booleans before wrapping)."""
    n = len(headers)
    if not n or not rows or any(len(row) != n for row in rows) or not all(_plain(h) for h in headers):
        return None
    wrappers = [None if w is None else _Wrapper(width=w) for w in maxcolwidths]
    widths = [width(h) + MIN_PADDING for h in headers]
    cells = []
    for row in rows:
        lines_of_row = []
        for k, cell in enumerate(row):
            if type(cell) is not str:
                return None
            if wrappers[k] is not None:
                if not set(cell) <= _ONE or cell in ("True", "False"):
                    return None
                cell = "\n".join("\n".join(wrappers[k].wrap(line)) for line in cell.splitlines() if line.strip())
                lines = cell.strip().splitlines()
            else:
                if not _plain(cell):
                    return None
                cell = cell.strip()
                lines = [cell] if cell else []
            measured = [(line, width(line)) for line in lines]
            widths[k] = max([widths[k]] + [w for _, w in measured])
            lines_of_row.append(measured)
        cells.append(lines_of_row)
    text = ["  ".join(_pad(h, widths[k], width(h)) for k, h in enumerate(headers)).rstrip(),
            "  ".join("-" * w for w in widths).rstrip()]
    multiline = any(len(lines) > 1 for row in cells for lines in row)  # else a row is one line, even empty
    for row in cells:
        for i in range(max(len(lines) for lines in row) if multiline else 1):
            line = [_pad(lines[i][0], widths[k], lines[i][1]) if i < len(lines) else " " * widths[k]
                    for k, lines in enumerate(row)]
            text.append("  ".join(line).rstrip())
    return "\n".join(text)


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
    from html import escape  # (start-up: html and its entities load for html output)

    def row(tag: str, cells: list[str]) -> str:
        return "<tr>" + "".join(f"<{tag}>{escape(c)}</{tag}>" for c in cells).rstrip() + "</tr>"
    lines = ["<table>\n<thead>\n" + row("th", head) + "\n</thead>\n<tbody>"]
    lines += [row("td", cells) for cells in body]
    lines.append("</tbody>\n</table>")
    return "\n".join(lines)


_FORMATS = {"simple": _simple, "github": _github, "latex": _latex, "html": _html}
