"""The comments of an exercise file, found again so that a file written from it can keep them:
the comment lines just above a table's header, and the comment at the end of a `key = value`
line. Keys as tomlwriter.dumps takes them: a tuple path such as ("training", "order").
"""

from __future__ import annotations

import re
import tomllib

_HEADER = re.compile(r"^\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")


def template_comments(text: str) -> dict[tuple[str, ...], str]:
    """{path: comment} for the tables and the one-line keys of `text` (multi-line values skipped)."""
    comments: dict[tuple[str, ...], str] = {}
    section: tuple[str, ...] = ()
    above: list[str] = []
    in_string = False
    for line in text.splitlines():
        if line.count('"""') % 2 == 1:
            in_string = not in_string
            above = []
            continue
        stripped = line.strip()
        if in_string or not stripped:
            above = []
            continue
        if stripped.startswith("#"):
            above.append(stripped[1:].strip())
            continue
        header = _HEADER.match(line)
        if header:
            section = tuple(part.strip().strip('"') for part in header.group(1).split("."))
            if above:
                comments.setdefault(section, "\n".join(above))
        else:
            found = _line_comment(line)
            if found is not None:
                comments[section + (found[0],)] = found[1]
        above = []
    return comments


def _line_comment(line: str) -> tuple[str, str] | None:
    """(key, comment) of `key = value  # comment`, when the part before a # is a whole TOML line."""
    for position in [m.start() for m in re.finditer("#", line)]:
        try:
            parsed = tomllib.loads(line[:position])
        except tomllib.TOMLDecodeError:
            continue
        if len(parsed) == 1 and not isinstance(next(iter(parsed.values())), dict):
            comment = line[position + 1:].strip()
            return (next(iter(parsed)), comment) if comment else None
        return None
    return None
