"""argparse's own sentences (usage, the option groups, its errors) in the language of the output:
`--lang zh` (or NEUROSIM_LANG) is read from the command line before it is parsed, and argparse's
gettext functions are pointed at neurosim's catalog while it parses. The sentences are argparse's
(%-style placeholders), listed here so that the catalog holds them."""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator, Sequence

from ..errors import NeurosimError
from ..messages import N_, language_code, speaking
from ..messages import _translations as translations

ARGPARSE_SENTENCES = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"), N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"), N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"), N_("ignored explicit argument %r"), N_("expected one argument"),
    N_("expected at most one argument"), N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"), N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("%(prog)s: error: %(message)s\n"),
    N_("show program's version number and exit"),
)


def requested_language(argv: Sequence[str] | None) -> str | None:
    """The language --lang asks for in `argv` (else NEUROSIM_LANG's), None when neither names a known one."""
    args = list(argv) if argv is not None else []
    code = os.environ.get("NEUROSIM_LANG", "").strip() or None
    for k, arg in enumerate(args):
        if arg == "--lang" and k + 1 < len(args):
            code = args[k + 1]
        elif str(arg).startswith("--lang="):
            code = str(arg).split("=", 1)[1]
    try:
        return language_code(code) if code else None
    except NeurosimError:
        return None  # said as an error once parsed


@contextlib.contextmanager
def parsing_in(code: str | None) -> Iterator[None]:
    """While inside, argparse says its sentences in language `code` (English: unchanged)."""
    if code is None or code == "en":
        yield
        return
    with speaking(code):
        catalog = translations()
        saved = argparse._, argparse.ngettext
        argparse._, argparse.ngettext = catalog.gettext, catalog.ngettext
        try:
            yield
        finally:
            argparse._, argparse.ngettext = saved
