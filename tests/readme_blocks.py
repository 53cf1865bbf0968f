"""The README's runnable blocks: how they are marked, read and compared with what neurosim prints.

A block is runnable when the line before its fence is an HTML comment (invisible on GitHub):

- `<!-- runnable -->` before a block whose lines `$ COMMAND` are each followed by what the command
  prints (stdout and stderr together), the whole of it;
- `<!-- runnable: COMMAND -->` before a block that is a part of what COMMAND prints (lines in a row
  somewhere in its output);
- `<!-- runnable: python -->` before a Python console session (`>>> ` lines, each followed by what
  it shows), run after the ```python block above it.

In expected output a line that is `…` alone stands for any number of lines (none too). Lines are
compared exactly, but for trailing spaces.
"""

from __future__ import annotations

import re

import attrs

MARK = re.compile(r"^<!-- runnable(?::\s*(.*?))?\s*-->$")
ELIDED = "…"


@attrs.frozen
class Run:
    """One command of a block and the lines the README says it prints (`line`: the README line of
    the first of them; `part`: they are a part of the output, not the whole)."""

    command: str
    expected: tuple[str, ...]
    line: int
    part: bool = False


@attrs.frozen
class Block:
    """A runnable block: the README file, the line of its fence, its runs, and for a Python
    session the code of the ```python block above it."""

    readme: str
    line: int
    runs: tuple[Run, ...]
    setup: str = ""

    @property
    def where(self) -> str:
        return f"{self.readme}, the block at line {self.line}"


def fences(lines: list[str]) -> list[tuple[int, str, list[str]]]:
    """Every fenced block: (index of its opening line, its language, its lines)."""
    found, i = [], 0
    while i < len(lines):
        if lines[i].startswith("```"):
            end = i + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            found.append((i, lines[i][3:].strip(), lines[i + 1:end]))
            i = end
        i += 1
    return found


def split_runs(body: list[str], first: int, prompt: str) -> tuple[Run, ...]:
    """The block's lines cut at each `prompt` line: one Run per command (`first`: the README line
    of the block's first line)."""
    runs: list[Run] = []
    for offset, text in enumerate(body):
        if text.startswith(prompt):
            runs.append(Run(text[len(prompt):].strip(), (), first + offset + 1))
        elif runs:
            runs[-1] = attrs.evolve(runs[-1], expected=(*runs[-1].expected, text))
        else:
            raise ValueError(f"line {first + offset}: a runnable block starts with `{prompt}`")
    return tuple(runs)


def runnable_blocks(readme: str, text: str) -> list[Block]:
    """The runnable blocks of one README, in order."""
    lines = text.split("\n")
    blocks, code = [], ""
    for start, lang, body in fences(lines):
        if lang == "python":
            code = "\n".join(body)
        mark = MARK.match(lines[start - 1].strip()) if start else None
        if not mark:
            continue
        command, first = (mark.group(1) or "").strip(), start + 2  # README line of the block's first line
        if command == "python":
            blocks.append(Block(readme, start + 1, split_runs(body, first, ">>> "), setup=code))
        elif command:
            blocks.append(Block(readme, start + 1, (Run(command, tuple(body), first, part=True),)))
        else:
            blocks.append(Block(readme, start + 1, split_runs(body, first, "$ ")))
    return blocks


def _chunks(expected: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """The expected lines cut at each `…` line: (index of the chunk's first line, its lines)."""
    chunks: list[tuple[int, list[str]]] = [(0, [])]
    for index, text in enumerate(expected):
        if text.strip() == ELIDED:
            chunks.append((index + 1, []))
        else:
            chunks[-1][1].append(text.rstrip())
    return chunks


def _at(actual: list[str], start: int, chunk: list[str]) -> bool:
    return actual[start:start + len(chunk)] == chunk


def difference(run: Run, output: str) -> str | None:
    """None when `output` is what the README shows for `run`; else a sentence naming the first README
    line that differs and what neurosim prints there. The chunks between `…` lines are found in
    order: the first at the start of the output, the last at its end (a part: anywhere)."""
    actual = [text.rstrip() for text in output.rstrip("\n").split("\n")] if output.strip() else []
    chunks = _chunks(run.expected)
    if run.part:
        chunks = [(0, []), *chunks, (len(run.expected), [])]
    position = 0
    for index, (offset, chunk) in enumerate(chunks):
        if index == len(chunks) - 1:  # the last chunk ends the output
            found = len(actual) - len(chunk)
            if found < position or (index == 0 and found != 0) or not _at(actual, found, chunk):
                found = None
        elif index == 0:
            found = 0 if _at(actual, 0, chunk) else None
        else:
            found = next((k for k in range(position, len(actual) - len(chunk) + 1) if _at(actual, k, chunk)), None)
        if found is None:  # where it differs: from where the chunk, or its first line, is printed
            aligned = max(position, len(actual) - len(chunk)) if index == len(chunks) - 1 else position
            near = 0 if index == 0 else next(
                (k for k in range(position, len(actual)) if _at(actual, k, chunk) or actual[k] == chunk[0]), aligned)
            return _report(run, offset, actual, near, chunk)
        position = found + len(chunk)
    return None


def _report(run: Run, offset: int, actual: list[str], start: int, chunk: list[str]) -> str:
    """Where `chunk` and `actual` read from `start` first differ, as a sentence."""
    k = next((k for k, text in enumerate(chunk) if actual[start + k:start + k + 1] != [text]), len(chunk))
    prints = repr(actual[start + k]) if start + k < len(actual) else "nothing more"
    if k == len(chunk):
        return (f"`{run.command}`: the README's output ends at line {run.line + offset + k - 1}; "
                f"neurosim prints more, at its output line {start + k + 1}: {prints}")
    return (f"`{run.command}`: README line {run.line + offset + k} says {chunk[k]!r}; "
            f"neurosim prints at its output line {start + k + 1}: {prints}")
