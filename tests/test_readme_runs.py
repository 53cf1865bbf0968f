"""The README's runnable blocks (marked as tests/readme_blocks.py says) print what the README shows:
each command is run in a fresh folder holding the checkout's docs/ and scenarios/, in order (a block
may use the files an earlier one wrote), in the README's language. A difference names the README, the
block, the line and what neurosim prints there."""

from __future__ import annotations

import contextlib
import io
import runpy
import shlex
import sys
from pathlib import Path

import pytest

from neurosim.cli.main import main
from neurosim.messages import set_language

from .readme_blocks import Block, Run, difference, runnable_blocks

ROOT = Path(__file__).resolve().parent.parent
READMES = {"README.md": "en", "README.zh.md": "zh"}


def run_command(command: str) -> str:
    """What `command` prints (stdout and stderr as one text): `neurosim …` through the command line's
    main, `python FILE.py` as a script, in this process (a second process would cost a start-up)."""
    words = shlex.split(command)
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        if words[0] == "neurosim":
            main(words[1:], output)
        elif words[0] == "python" and len(words) == 2 and words[1].endswith(".py"):
            saved = sys.argv
            try:
                sys.argv = words[1:]
                runpy.run_path(words[1], run_name="__main__")
            finally:
                sys.argv = saved
        else:
            raise AssertionError(f"a runnable block runs neurosim or `python FILE.py`, not `{command}`")
    return output.getvalue()


def run_session(block: Block) -> list[tuple[Run, str]]:
    """A Python console session: the ```python block above it, then each `>>> ` line, showing what
    the console shows (an expression's repr, what it prints)."""
    names: dict = {"__name__": "__readme__"}
    exec(compile(block.setup, block.where, "exec"), names)  # noqa: S102 - the README's own code
    shown = []
    for run in block.runs:
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            saved, sys.displayhook = sys.displayhook, lambda value: value is None or print(repr(value))
            try:
                exec(compile(run.command, block.where, "single"), names)  # noqa: S102
            finally:
                sys.displayhook = saved
        shown.append((run, output.getvalue()))
    return shown


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A fresh folder with the checkout's docs/ and scenarios/ in it, as the current one."""
    for name in ("docs", "scenarios"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("readme", READMES)
def test_the_readme_shows_what_neurosim_prints(readme, folder, monkeypatch):
    language = READMES[readme]
    monkeypatch.setenv("NEUROSIM_LANG", language)
    set_language(language)
    blocks = runnable_blocks(readme, (ROOT / readme).read_text(encoding="utf-8"))
    assert len(blocks) >= 10, "the runnable marks are gone"
    problems = []
    for block in blocks:
        shown = run_session(block) if block.setup else [(run, run_command(run.command)) for run in block.runs]
        problems += [f"{block.where}: {said}" for run, output in shown if (said := difference(run, output))]
    assert not problems, "\n".join(problems)


BLOCK = """Some text.

<!-- runnable -->
```
$ neurosim list
one
…
four
```

<!-- runnable: neurosim list -->
```
two
three
```
"""


def test_a_changed_readme_line_is_named_with_what_neurosim_prints():
    """The comparison itself: a README line that differs is named by its line number, with the line
    neurosim prints in its place; `…` stands for any lines; a part may sit anywhere."""
    whole, part = (block.runs[0] for block in runnable_blocks("R.md", BLOCK))
    assert (whole.command, whole.line, whole.expected, part.part) == ("neurosim list", 6, ("one", "…", "four"), True)
    assert difference(whole, "one\ntwo\nthree\nfour  \n\n") is None
    assert difference(whole, "one\nfour\n") is None
    assert difference(part, "one\ntwo\nthree\nfour\n") is None
    assert difference(whole, "one\ntwo\nfive\n") == ("`neurosim list`: README line 8 says 'four'; neurosim prints at "
                                                        "its output line 3: 'five'")
    assert difference(whole, "zero\none\nfour\n") == ("`neurosim list`: README line 6 says 'one'; neurosim prints at "
                                                         "its output line 1: 'zero'")
    assert difference(whole, "one\nfour\nfive\n").startswith("`neurosim list`: the README's output ends at line 8;")
    assert difference(part, "one\ntwo\nthree!\n") == ("`neurosim list`: README line 14 says 'three'; neurosim "
                                                         "prints at its output line 3: 'three!'")
    exact = runnable_blocks("R.md", BLOCK.replace("…\n", ""))[0].runs[0]
    assert difference(exact, "one\nfour\nfive\n").startswith("`neurosim list`: the README's output ends at line 7;")
