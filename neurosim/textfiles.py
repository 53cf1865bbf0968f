"""Writing output files safely: into a temporary file beside the target, renamed over it at the end.

An interrupted or failed write leaves the old file (or no file) in place, never a half-written one:
`os.replace` is atomic on one file system, and the temporary file lives in the target's directory.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import NeurosimError
from .messages import say
from .outputs import os_error, writable


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path` (same suffix); on success rename it to `path`.

    If the block raises, the temporary file is removed and `path` is left as it was.
    """
    path = writable(path)  # a regular file or none (a symbolic link: the file it names)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        if not directory.is_dir():
            raise NeurosimError(say("{path}: the directory {directory} does not exist", path=path,
                                    directory=directory))
        import tempfile  # (start-up: run prints before it writes)

        fd, temp = tempfile.mkstemp(prefix=f".{path.name[:60]}.", suffix=f".tmp{path.suffix[:16]}", dir=directory)
    except OSError as error:
        raise os_error(path, error) from None
    os.close(fd)
    temp_path = Path(temp)
    os.chmod(temp_path, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
    try:
        yield temp_path
        os.replace(temp_path, path)
    except OSError as error:
        raise os_error(path, error) from None
    finally:
        if temp_path.exists():
            temp_path.unlink()


@contextlib.contextmanager
def atomic_text(path: str | Path) -> Iterator[IO[str]]:
    """Open a temporary text file beside `path` for writing; rename it to `path` on success."""
    with atomic_path(path) as temp:
        with open(temp, "w", encoding="utf-8", newline="") as handle:
            yield handle


def read_text(path: str | Path) -> str:
    """A user's file as UTF-8 text (with or without a byte-order mark, as Windows editors save it); a
    missing or unreadable file is a one-line error naming it."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8-sig")  # a byte-order mark at the start is dropped
    except FileNotFoundError:
        raise NeurosimError(say("{path}: no such file", path=path)) from None
    except IsADirectoryError:
        raise NeurosimError(say("{path}: is a directory, not a file", path=path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise NeurosimError(say("{path}: cannot be read ({error})", path=path, error=error)) from None


def write_atomic(path: str | Path, text: str, *, overwrite: bool = True) -> None:
    """Write `text` (UTF-8) to `path` in one go; with `overwrite=False` an existing `path` is a
    user error and is left untouched."""
    path = Path(path)
    try:
        exists = path.exists() or path.is_symlink()
    except OSError as error:
        raise os_error(path, error) from None
    if not overwrite and exists:
        raise NeurosimError(say("{path}: already exists (use --force to overwrite it)", path=path))
    with atomic_text(path) as handle:
        handle.write(text)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_cell(value):
    """A CSV cell a spreadsheet will not run as a formula: text starting with = + - @, a tab or a
    carriage return gets a leading apostrophe (as spreadsheets expect); numbers stay numbers."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
