"""`neurosim sheet FILE|NAME|DIR`: question sheets (views/sheet.py) and answer keys
(views/answer_key.py) in Markdown, LaTeX or HTML.

A file or scenario: its sheet (or, with --key, its key) to standard output or -o FILE; a drawing
asked for by [plot] goes beside FILE (Markdown: .svg, LaTeX: .pdf; HTML carries it inside).
A directory: the sheet and the key of every exercise file in it (`neurosim variants` output),
ID-sheet.EXT and ID-key.EXT, into -o DIR (default: the same directory).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from ..errors import NeurosimError
from ..messages import say
from ..outputs import prepare_directory, write_together
from ..textfiles import atomic_path, write_atomic
from .common import resolve
from .formats import add_format_option

FORMATS = ("markdown", "latex", "html")  # views/sheet.py SHEET_FORMATS, imported when a sheet is made
SUFFIXES = {"markdown": ".md", "latex": ".tex", "html": ".html"}


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "sheet", help="write question sheets and answer keys (Markdown, LaTeX or HTML)",
        description="Write the question sheet of an exercise: the network (drawn when the file has a [plot] "
                    "table), the conventions in words and a blank table of the quantities its `ask` list names; "
                    "--key writes the answer key (the answers and the worked solution). Given a directory, write "
                    "the sheet and the key of every exercise file in it.")
    p.add_argument("target", metavar="FILE|NAME|DIR", help="an exercise file, a scenario name, or a directory of them")
    add_format_option(p, {name: name for name in FORMATS}, "markdown", "the sheets' format")
    p.add_argument("--key", action="store_true", help="write the answer key instead of the question sheet")
    p.add_argument("-o", "--output", metavar="FILE|DIR",
                   help="write to FILE (default: standard output); for a directory, the directory to write into")
    p.add_argument("--force", action="store_true",
                   help="for a directory: overwrite sheets and keys that already exist (a hand-edited key too)")
    p.set_defaults(handler=cmd_sheet)


def cmd_sheet(args: argparse.Namespace, out: TextIO) -> int:
    if Path(args.target).is_dir():
        return _whole_directory(Path(args.target), args, out)
    spec = resolve(args.target, directories=True)
    if args.key:
        from ..views.answer_key import answer_key

        _write(args.output, answer_key(spec, args.format), (), out)
        return 0
    from ..views.sheet import question_sheet

    stem = Path(args.output).stem + "-network" if args.output and args.output != "-" else "network"
    sheet = question_sheet(spec, args.format, picture_stem=stem)
    if sheet.pictures and (args.output is None or args.output == "-"):
        raise NeurosimError(say("--output: this sheet draws the network in a separate file; give -o FILE and the "
                                "drawing is written beside it (or use --format html, which holds it)"))
    _write(args.output, sheet.text, sheet.pictures, out)
    _say_notes(sheet.notes)
    return 0


def _say_notes(notes) -> None:
    for note in dict.fromkeys(notes):  # once each, in order
        print(f"neurosim: note: {note}", file=sys.stderr)


def _write(output: str | None, text: str, pictures, out: TextIO) -> None:
    if output is None or output == "-":
        out.write(text)
        return
    for name, content in pictures:
        with atomic_path(Path(output).parent / name) as temp:
            temp.write_bytes(content)
    write_atomic(output, text)


def _whole_directory(directory: Path, args: argparse.Namespace, out: TextIO) -> int:
    """The sheet and the key of every .toml file in `directory`, into -o DIR (default: `directory`)."""
    from ..files.exercise import load_spec
    from ..views.answer_key import answer_key
    from ..views.sheet import question_sheet

    if args.key:
        raise NeurosimError("--key: for a directory, both the sheets and the keys are written; leave --key out")
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise NeurosimError(say("{path}: no exercise files (*.toml) in this directory", path=directory))
    target = prepare_directory(args.output if args.output else directory)
    made, notes = [], []
    for path in files:  # every file is read and rendered before any is written
        spec = load_spec(path)
        ident = spec.variant or path.stem
        sheet = question_sheet(spec, args.format, picture_stem=f"{ident}-network")
        made.append((ident, sheet, answer_key(spec, args.format)))
        notes += sheet.notes
    suffix = SUFFIXES[args.format]
    files: dict = {}
    for ident, sheet, key in made:
        files.update({name: content for name, content in sheet.pictures})
        files[f"{ident}-sheet{suffix}"] = sheet.text
        files[f"{ident}-key{suffix}"] = key
    write_together(target, files, force=args.force)  # all of them or none
    out.write(say("Wrote the question sheets and answer keys of {count} exercises to {directory}: {first} … {last}.",
                  count=len(made), directory=target, first=f"{made[0][0]}-sheet{suffix}",
                  last=f"{made[-1][0]}-key{suffix}") + "\n")
    _say_notes(notes)
    return 0
