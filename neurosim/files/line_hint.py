"""Where in an exercise file a bad key is set: ' (line N)' appended to an error that names the key
(`network.layer[2].stride: …`, `network.weights: … 'w9'`, `expect."dE/dw5": …`), found by reading
the text line by line (TOML keeps no positions)."""

from __future__ import annotations

import re

from ..messages import say

_LAYER = re.compile(r"network\.layer\[(\d+)\]\.(\w+)$")


def _sets(stripped: str, key: str) -> bool:
    """The line sets `key` (bare or quoted) to a value: `key = …`, `"key" = …`, `key.sub = …`."""
    return re.match(rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*[=.]""", stripped) is not None


def _line_in_table(text: str, section: str, key: str) -> str:
    """' (line N)' for the line that sets `key` under the [section] header, if one does."""
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.split("#")[0].strip() == f"[{section}]"
        elif inside and _sets(stripped, key):
            return _line(number)
    return ""


def _line_in_layer(text: str, index: int, key: str) -> str:
    """' (line N)' for the line that sets `key` in the index-th [[network.layer]] table (from 1)."""
    seen, inside = 0, False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            header = stripped.split("#")[0].strip()
            seen += header == "[[network.layer]]"
            inside = header == "[[network.layer]]" and seen == index
        elif inside and _sets(stripped, key):
            return _line(number)
    return ""


def _line(number: int) -> str:
    return say(" (line {number})", number=number)


def line_hint(text: str, message: str) -> str:
    """' (line N)' for the first line that sets the key the message names, if one does (the message
    in any language: its field before ':' or '：', the name quoted first)."""
    field = re.split("[:：]", message, maxsplit=1)[0]
    section, _, rest = field.partition(".")
    if section in ("variants", "ask", "plot") and rest:  # a key of the table, not of [network.weights]
        return _line_in_table(text, section, rest.split(".")[0].split("[")[0])
    layer = _LAYER.match(field.strip())
    if layer:  # a key of one [[network.layer]] table
        return _line_in_layer(text, int(layer.group(1)), layer.group(2))
    named = re.search(r"'([^']+)'", message[len(field) + 1:])
    if field in ("network.weights", "network.biases") and named:  # the key of the table the message names
        line = _line_in_table(text, field, named.group(1))
        if line:
            return line
    if field.startswith("expect."):
        key = field[len("expect."):].strip('"')
        for number, line in enumerate(text.splitlines(), start=1):
            if _sets(line.strip(), key):
                return _line(number)
        return ""
    key = field.split(".")[-1].split("[")[0].strip()
    if not key:
        return ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if _sets(stripped, key) or stripped.startswith(f"[{key}]") or stripped.startswith(f"[network.{key}]"):
            return _line(number)
    return ""
