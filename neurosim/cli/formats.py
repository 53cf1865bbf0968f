"""One vocabulary of --format names for every command: plain, markdown, latex, html, csv, json,
jsonl, with the aliases people type (github, gfm and md for markdown; text and txt for plain; tex
for latex; htm for html). Each command offers those it writes and maps them to what its renderer
calls them (the trace tables' Markdown is tabulate's "github")."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from ..messages import N_, say_unknown

FORMAT_ALIASES = {"github": "markdown", "gfm": "markdown", "md": "markdown", "text": "plain", "txt": "plain",
                  "tex": "latex", "htm": "html"}


def format_name(text: str, offered: Mapping[str, str]) -> str:
    """The renderer's name of the format `text` names (an alias or a name), if the command offers it."""
    name = FORMAT_ALIASES.get(str(text).strip().lower(), str(text).strip().lower())
    if name not in offered:
        names = [*offered, *(alias for alias, meant in FORMAT_ALIASES.items() if meant in offered)]
        raise argparse.ArgumentTypeError(say_unknown(N_("unknown format '{name}' (did you mean '{hint}'?)"),
                                                     N_("unknown format '{name}' (choose from {choices})"),
                                                     text, names, name=text))
    return offered[name]


def add_format_option(parser, offered: Mapping[str, str], default: str, what: str) -> None:
    """--format NAME over `offered` (our name → the renderer's), `default` one of our names."""
    parser.add_argument("--format", type=lambda text: format_name(text, offered), default=default, metavar="FORMAT",
                        help=f"{what}: {', '.join(offered)} (default {default}; also {', '.join(FORMAT_ALIASES)})")
