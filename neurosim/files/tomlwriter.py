"""A small TOML writer for the subset exercise files use (the stdlib reads TOML but cannot write it).

Supported: strings (basic strings, escaped per TOML 1.0), integers, floats (written with `repr`,
so `tomllib` reads back the very same float64), booleans, arrays (of values, or of arrays, one
element per line when long), tables and nested tables, arrays of tables (`[[published]]`), and
inline tables inside arrays. A key whose value is None is left out (TOML has no null; every reader
of exercise files treats a missing key and None alike).

Comments: `comments` maps a key path (a tuple such as ("network", "weights") or ("training",
"order")) to text. A table's comment is written on the lines above its header; a value's comment
at the end of its line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_INT64 = (-(2 ** 63), 2 ** 63 - 1)
_LINE = 100  # arrays longer than this are written one element per line

Path = tuple[str, ...]


def key(name: str) -> str:
    """A bare key (w1, learning_rate) when allowed, else a quoted one ("dE/dw5", "w5+")."""
    if not isinstance(name, str):
        raise TypeError(f"TOML keys are strings, got {name!r}")
    return name if _BARE_KEY.fullmatch(name) else string(name)


def string(text: str) -> str:
    """A TOML basic string: quote, backslash and control characters escaped."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def long_string(text: str, width: int = _LINE) -> str:
    """A long one-line string as a multi-line basic string folded at spaces ("line ending backslash":
    TOML drops the newline and the next line's leading whitespace, so it reads back unchanged)."""
    if len(text) <= width or "\n" in text or text != text.strip():
        return string(text)
    words = re.split(r"(?<= )(?=\S)", text)  # cut after a space that is followed by a non-space
    lines, line = [], ""
    for word in words:
        if line and len(line) + len(word) > width - 4:
            lines.append(line)
            line = ""
        line += word
    lines.append(line)
    body = "\\\n".join(string(part)[1:-1] for part in lines)
    return '"""\\\n' + body + '"""'


def value(item: Any, indent: str = "") -> str:
    """One TOML value (a string, number, boolean, array or inline table)."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        if not _INT64[0] <= item <= _INT64[1]:
            raise ValueError(f"integer {item} does not fit TOML's 64 bits")
        return str(item)
    if isinstance(item, float) or _is_numpy_number(item):
        return _float(float(item)) if not _is_numpy_int(item) else str(int(item))
    if isinstance(item, str):
        return string(item)
    if isinstance(item, Mapping):
        pairs = [f"{key(k)} = {value(v)}" for k, v in item.items() if v is not None]
        return "{ " + ", ".join(pairs) + " }" if pairs else "{}"
    if isinstance(item, (list, tuple)):
        return _array(item, indent)
    raise TypeError(f"cannot write {type(item).__name__} {item!r} as TOML")


def _float(number: float) -> str:
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    text = repr(number)  # shortest text that reads back to the same float64: 0.15, 1e-05, 1e+16
    return text


def _is_numpy_number(item) -> bool:
    return type(item).__module__ == "numpy" and hasattr(item, "dtype") and item.dtype.kind in "fiu"


def _is_numpy_int(item) -> bool:
    return _is_numpy_number(item) and item.dtype.kind in "iu"


def _array(items: Sequence, indent: str) -> str:
    inner = indent + "    "
    parts = [value(v, inner) for v in items if v is not None]
    if len(parts) != len(items):
        raise ValueError("TOML arrays cannot hold None")
    flat = "[" + ", ".join(parts) + "]"
    nested = any(isinstance(v, (list, tuple, Mapping)) for v in items)
    if len(flat) + len(indent) <= _LINE and "\n" not in flat:
        return flat
    if nested:
        return "[\n" + "".join(f"{inner}{p},\n" for p in parts) + indent + "]"
    lines, line = [], ""
    for p in parts:
        if line and len(inner) + len(line) + len(p) + 2 > _LINE:
            lines.append(line.rstrip())
            line = ""
        line += p + ", "
    lines.append(line.rstrip())
    return "[\n" + "".join(f"{inner}{text}\n" for text in lines) + indent + "]"


def _is_table_array(item) -> bool:
    return isinstance(item, (list, tuple)) and bool(item) and all(isinstance(v, Mapping) for v in item)


def _comment_lines(text: str | None) -> str:
    if not text:
        return ""
    return "".join(f"# {line}".rstrip() + "\n" for line in text.splitlines())


def dumps(data: Mapping[str, Any], comments: Mapping[Path, str] | None = None, header: str = "") -> str:
    """`data` as a TOML document, with `header` as comment lines at the top."""
    comments = comments or {}
    chunks: list[str] = []
    if header:
        chunks.append(_comment_lines(header))
    _table_body(data, (), comments, chunks)
    text = "".join(chunks)
    return text.lstrip("\n")


def _table_body(data: Mapping, path: Path, comments: Mapping[Path, str], chunks: list[str]) -> None:
    """Key/value lines of a table, then its sub-tables and arrays of tables (TOML needs that order)."""
    simple, tables = [], []
    for name, item in data.items():
        if item is None:
            continue
        (tables if isinstance(item, Mapping) or _is_table_array(item) else simple).append((name, item))
    for name, item in simple:
        line = f"{key(name)} = {long_string(item) if isinstance(item, str) else value(item)}"
        note = comments.get(path + (name,))
        chunks.append(f"{line}  # {note}\n" if note and "\n" not in note else f"{_comment_lines(note)}{line}\n")
    for name, item in tables:
        sub = path + (name,)
        dotted = ".".join(key(part) for part in sub)
        if isinstance(item, Mapping):
            chunks.append(f"\n{_comment_lines(comments.get(sub))}[{dotted}]\n")
            _table_body(item, sub, comments, chunks)
        else:
            chunks.append(f"\n{_comment_lines(comments.get(sub))}")
            for index, entry in enumerate(item):
                chunks.append(f"{'' if index == 0 else chr(10)}[[{dotted}]]\n")
                _table_body(entry, sub, {}, chunks)
