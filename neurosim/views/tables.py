"""A titled table (`Table`) and how tables are written out: plain, github, latex or html text as
tabulate lays it out (text_table.py, or tabulate itself where a plain table is wrapped to fit),
each under its title; `render_heading` writes a step's heading line to match.

The data formats (csv, json, jsonl) are not tables; report.render_step writes those.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Iterable

import attrs

from ..messages import N_, say
from .text_table import layout, wrapped_layout

TABLE_FORMATS = {"plain": "simple", "github": "github", "latex": "latex", "html": "html"}
DATA_FORMATS = ("csv", "json", "jsonl")
FORMATS = tuple(TABLE_FORMATS) + DATA_FORMATS
WIDTH = 100  # plain text is written to fit this many columns where it can


@attrs.frozen
class Table:
    """A titled table: what a renderer needs and nothing else; `note` is a line written under it
    (e.g. the summary of the rows a long table leaves out, views/elide.py)."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    wrap: tuple[int, ...] = ()  # columns of prose that plain text may wrap (at spaces) to fit WIDTH
    sample: int | None = None  # the sample of a batch step the table is about (views/notation_view.py)


def render_tables(tables: Iterable[Table], fmt_name: str = "plain") -> str:
    """Tables as text in one of TABLE_FORMATS, each with its title above it."""
    tablefmt = TABLE_FORMATS[fmt_name]
    parts = []
    for table in tables:
        if fmt_name == "github":  # a | or <script> in a name or a value stays text, the row one row
            table = _md_escaped(table)
        body = layout(table.headers, table.rows, tablefmt)  # the cells are text: tabulate's layout, at once
        if body is None:
            from tabulate import tabulate  # (multi-line cells; its import costs start-up, issue 19)
            body = tabulate(table.rows, headers=table.headers, tablefmt=tablefmt, disable_numparse=True)
        if fmt_name == "plain" and table.wrap and max(map(display_width, body.splitlines()), default=0) > WIDTH:
            fitted = _fitted_widths(table, max(map(display_width, body.splitlines())) - WIDTH)
            body = wrapped_layout(table.headers, table.rows, fitted)
            if body is None:
                from tabulate import tabulate
                body = tabulate(table.rows, headers=table.headers, tablefmt=tablefmt, disable_numparse=True,
                                maxcolwidths=fitted)
        if fmt_name == "html":
            note = f"\n<p>{html_escape(table.note)}</p>" if table.note else ""
            parts.append(f"<h3>{html_escape(table.title)}</h3>\n{body}{note}")
        elif fmt_name == "latex":
            note = f"\n% {table.note}" if table.note else ""
            parts.append(f"% {table.title}\n{body}{note}")
        elif fmt_name == "github":
            note = f"\n\n{table.note}" if table.note else ""
            parts.append(f"#### {table.title}\n\n{body}{note}")
        else:
            note = "".join(f"\n{line}" for line in textwrap.wrap(table.note, WIDTH)) if table.note else ""
            parts.append(f"{table.title}\n{body}{note}")
    return "\n\n".join(parts)


def _md_escaped(table: Table) -> Table:
    """The table with its title, headers, cells and note escaped for Markdown (render_markdown.md_escape);
    the title's line break (the conventions under it) kept."""
    from .render_markdown import md_escape  # (only for Markdown: start-up)

    return attrs.evolve(table, title="\n".join(map(md_escape, table.title.split("\n"))),
                        headers=tuple(map(md_escape, table.headers)),
                        rows=tuple(tuple(map(md_escape, row)) for row in table.rows), note=md_escape(table.note))


def _fitted_widths(table: Table, excess: int) -> list[int | None]:
    """Widths for the wrappable columns that take `excess` columns off the table, wrapping as few
    cells as they can: each step narrows the column that frees the most width per cell it wraps
    (no column narrower than 12 or its longest word)."""
    lengths = {i: sorted((display_width(row[i]) for row in table.rows), reverse=True) for i in table.wrap}
    widths = {i: max([display_width(table.headers[i])] + lengths[i]) for i in table.wrap}
    floor = {i: max([12] + [display_width(w) for row in table.rows for w in row[i].split()]) for i in table.wrap}
    while excess > 0:
        best = None
        for i in table.wrap:
            shorter = [n for n in lengths[i] if n < widths[i]] + [floor[i]]
            target = max(floor[i], max(shorter))
            if target >= widths[i]:
                continue
            wrapped = sum(n > target for n in lengths[i])
            score = (widths[i] - target) / max(wrapped, 1)
            if best is None or score > best[0]:
                best = (score, i, target)
        if best is None:
            break
        _, i, target = best
        excess -= widths[i] - target
        widths[i] = target
    return [widths.get(i) for i in range(len(table.headers))]


def render_heading(text: str, fmt_name: str, width: int = WIDTH) -> str:
    """A step's heading in a table format (html h2, github ###, latex comment, plain underlined);
    plain text is wrapped to `width` columns, after a '; ' where it can."""
    if fmt_name == "html":
        return f"<h2>{html_escape(text)}</h2>"
    if fmt_name == "github":
        from .render_markdown import md_escape  # (the exercise's title is in it: shown as written)

        return f"### {md_escape(text)}"
    if fmt_name == "latex":
        return f"% {text}"
    lines = wrap_text(text, width)
    return "\n".join(lines) + "\n" + "=" * max(display_width(line) for line in lines)


def display_width(text: str) -> int:
    """The columns `text` takes in a terminal: a Chinese character (East Asian wide or full-width) two."""
    if text.isascii():
        return len(text)
    wide = {c for c in set(text) if not c.isascii() and unicodedata.east_asian_width(c) in "WF"}
    return len(text) + sum(text.count(c) for c in wide) if wide else len(text)


def wrap_text(text: str, width: int = WIDTH) -> list[str]:
    """`text` in lines of at most `width` columns, broken after '; ' or '；' (between the conventions
    of a heading) where it can, else at a space (Chinese text, between any two characters)."""
    lines: list[str] = []
    for part in text.replace("; ", ";\n").replace("；", "；\n").split("\n"):
        space = "" if lines and lines[-1].endswith("；") else " "
        if lines and display_width(lines[-1]) + len(space) + display_width(part) <= width:
            lines[-1] += space + part
        elif display_width(part) == len(part):
            lines += textwrap.wrap(part, width, break_long_words=False, break_on_hyphens=False) or [""]
        else:
            lines += _wrap_wide(part, width)
    return lines


def _wrap_wide(text: str, width: int) -> list[str]:
    """Text with Chinese in it in lines of at most `width` columns: at spaces where they come, and
    a run of Chinese wider than a line between any two of its characters."""
    lines, line = [], ""
    for token in re.split(r"(?<= )", text):
        while display_width(line + token.rstrip()) > width:
            if line.strip():
                lines.append(line.rstrip())
                line, token = "", token.lstrip()
                continue
            cut = next((k for k in range(len(token), 0, -1) if display_width(token[:k]) <= width), 1)
            lines.append(token[:cut])
            token = token[cut:]
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def layer_word(name: str) -> str:
    """A layer's name ('input', 'hidden', 'hidden 2', 'output': core/names.py) in the active language."""
    words = {"input": N_("input"), "hidden": N_("hidden"), "output": N_("output")}
    if name in words:
        return say(words[name])
    return say("hidden {index}", index=name.rpartition(" ")[2]) if name.startswith("hidden ") else name


def layer_phrase(name: str) -> str:
    """'hidden layer', 'output layer', 'hidden 2 layer' … of a layer's name, in the active language."""
    phrases = {"input": N_("input layer"), "hidden": N_("hidden layer"), "output": N_("output layer")}
    if name in phrases:
        return say(phrases[name])
    return say("hidden {index} layer", index=name.rpartition(" ")[2]) if name.startswith("hidden ") else name


def html_escape(text: str) -> str:
    """&, < and > as HTML entities (quotes are left alone)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
