"""The argument parser of every command: a usage error is one line (and exit 2), with the nearest
choice offered for a mistyped one. Light to import: `neurosim --version` loads little more."""

from __future__ import annotations

import argparse
import re

from ..messages import say


def _with_hint(message: str) -> str:
    """argparse's "invalid choice: 'chek' (choose from 'list', 'run', 'check', …)" with the nearest
    choice first: "… (did you mean 'check'? choose from …)" (in Chinese: "（是不是 'check'？可选：…）")."""
    invalid = re.search(r"(?:invalid choice: |无效的选择：)'([^']*)' ?(\(choose from |（可选：)(.*)[)）]$", message)
    if invalid is None:
        return message
    import difflib  # (start-up: for a usage error only)

    hint = difflib.get_close_matches(invalid.group(1), re.findall(r"'([^']*)'", invalid.group(3)), n=1)
    if not hint:
        return message
    at = invalid.start(2) + 1
    if invalid.group(2).startswith("("):
        return message[:at] + f"did you mean '{hint[0]}'? " + message[at:]
    return message[:at] + f"是不是 '{hint[0]}'？" + message[at:]


class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line (and exit 2), not a usage block."""

    def error(self, message: str):
        self.exit(2, "neurosim: error: " + say("{message} (see `{command} --help`)", message=_with_hint(message),
                                                command=self.prog) + "\n")

    def parse_known_args(self, args=None, namespace=None):
        """As argparse, and `typed_options`: each option's destination → the option string typed
        (--lr or --learning-rate), for errors that name the option as the user wrote it."""
        namespace, extras = super().parse_known_args(args, namespace)
        typed = dict(getattr(namespace, "typed_options", {}))
        for token in args if args is not None else []:
            action = self._option_string_actions.get(str(token).split("=", 1)[0])
            if action is not None and str(token).startswith("--"):
                typed[action.dest] = str(token).split("=", 1)[0]
        namespace.typed_options = typed
        return namespace, extras
