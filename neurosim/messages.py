"""User-facing sentences, written so that they can be translated later: each is one whole
sentence (never glued from fragments) with `str.format` placeholders, passed through `say` (or
`say_count` when the sentence depends on a number). Today both only fill in the placeholders;
a translation catalog hooks in here without touching the callers.

    say("{count} of {total} values right.", count=4, total=7)
    say_count("1 student: {ids}", "{count} students: {ids}", 9, ids="sequential-update")
"""

from __future__ import annotations


def say(message: str, /, **values) -> str:
    """`message` with its {placeholders} filled in."""
    return message.format(**values) if values else message


def say_count(one: str, many: str, count: int, /, **values) -> str:
    """The singular or plural sentence for `count` (available as {count}), filled in."""
    return (one if count == 1 else many).format(count=count, **values)
