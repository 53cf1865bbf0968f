"""A titled table (`Table`) and how tables are written out: plain, github, latex or html text
through tabulate, each under its title; `render_heading` writes a step's heading line to match.

The data formats (csv, json, jsonl) are not tables; report.render_step writes those.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs
from tabulate import tabulate

TABLE_FORMATS = {"plain": "simple", "github": "github", "latex": "latex", "html": "html"}
DATA_FORMATS = ("csv", "json", "jsonl")
FORMATS = tuple(TABLE_FORMATS) + DATA_FORMATS


@attrs.frozen
class Table:
    """A titled table: what a renderer needs and nothing else."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def render_tables(tables: Iterable[Table], fmt_name: str = "plain") -> str:
    """Tables as text in one of TABLE_FORMATS, each with its title above it."""
    tablefmt = TABLE_FORMATS[fmt_name]
    parts = []
    for table in tables:
        body = tabulate(table.rows, headers=table.headers, tablefmt=tablefmt, disable_numparse=True)
        if fmt_name == "html":
            parts.append(f"<h3>{html_escape(table.title)}</h3>\n{body}")
        elif fmt_name == "latex":
            parts.append(f"% {table.title}\n{body}")
        elif fmt_name == "github":
            parts.append(f"#### {table.title}\n\n{body}")
        else:
            parts.append(f"{table.title}\n{body}")
    return "\n\n".join(parts)


def render_heading(text: str, fmt_name: str) -> str:
    """A step's heading line in a table format (html h2, github ###, latex comment, plain underlined)."""
    if fmt_name == "html":
        return f"<h2>{html_escape(text)}</h2>"
    if fmt_name == "github":
        return f"### {text}"
    if fmt_name == "latex":
        return f"% {text}"
    return f"{text}\n{'=' * min(len(text), 100)}"


def html_escape(text: str) -> str:
    """&, < and > as HTML entities (quotes are left alone)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
