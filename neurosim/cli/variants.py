"""`neurosim variants EXERCISE --count N --seed S -o DIR`: N exercise files drawn from one template
(files/variants.py), written as DIR/v01.toml … — all of them, or none when one cannot be written."""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path
from typing import TextIO

from ..errors import NeurosimError
from ..files.fields import parse_toml
from ..messages import say, say_count
from ..outputs import prepare_directory, write_together
from ..textfiles import read_text


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "variants", help="write N variants of an exercise: same network and conventions, new given numbers",
        description="Draw N variants of an exercise file (or a built-in scenario): the same network and "
                    "conventions, new hand-friendly given numbers as its [variants] table says (default: every "
                    "weight, bias and input). Each variant is reproducible from the template, the seed and its "
                    "number; degenerate draws (a saturated neuron, a vanishing update, a repeated variant) are "
                    "drawn again.")
    p.add_argument("target", metavar="EXERCISE", help="an exercise file or a built-in scenario name")
    p.add_argument("--count", type=int, default=30, metavar="N", help="how many variants (default 30)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="the seed they are drawn with (default 0)")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="the directory to write v01.toml … into")
    p.add_argument("--force", action="store_true", help="overwrite variant files that already exist")
    p.set_defaults(handler=cmd_variants)


def template_of(target: str) -> tuple[dict, str, str]:
    """(the exercise as parsed, its text, its name) of a file path or a built-in scenario name."""
    path = Path(target)
    if target.endswith(".toml") or path.is_file():
        text = read_text(path)
        return parse_toml(text, path), text, path.name
    if path.is_dir():  # sheet and grade read a folder; variants draws from one exercise
        raise NeurosimError(say("{target}: is a directory; give an exercise file (.toml) or a scenario name",
                                target=target))
    from ..scenarios import export_text

    text = export_text(target)
    return tomllib.loads(text), text, target


def cmd_variants(args: argparse.Namespace, out: TextIO) -> int:
    from ..files.variants import make_variants

    data, text, name = template_of(args.target)
    try:
        variants = make_variants(data, args.count, args.seed, source=name, template_text=text)
    except NeurosimError as error:
        message = str(error)
        raise NeurosimError(message if message.startswith("--") else f"{name}: {message}") from None
    directory = prepare_directory(args.output)
    paths = [directory / f"{v.id}.toml" for v in variants]
    earlier = sorted(p.name for p in directory.glob("v*.toml") if re.fullmatch(r"v\d+\.toml", p.name)
                     and p not in paths) if directory.is_dir() else []
    existing = [p for p in paths if p.exists()] + [directory / name for name in earlier]
    if existing and not args.force:
        raise NeurosimError(say("{path}: already exists (use --force to overwrite the variants in {directory})",
                                path=existing[0], directory=directory))
    write_together(directory, {p.name: v.text for p, v in zip(paths, variants)}, force=args.force, stale=earlier)
    if earlier:
        print(say("neurosim: note: removed {names} of the earlier variants in {directory}",
                  names=", ".join(earlier), directory=directory), file=sys.stderr)
    refused = sum(len(v.refused) for v in variants)
    out.write(say_count("Wrote 1 variant of {name} to {directory}: {first} (seed {seed}).",
                        "Wrote {count} variants of {name} to {directory}: {first} … {last} (seed {seed}).",
                        len(variants), name=name, directory=directory, first=paths[0].name, last=paths[-1].name,
                        seed=args.seed) + "\n")
    if refused:
        out.write(say_count("1 draw was degenerate or repeated and was drawn again.",
                            "{count} draws were degenerate or repeated and were drawn again.", refused) + "\n")
    return 0
