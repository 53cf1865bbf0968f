"""Writing output files all at once: a temporary file in the same directory, then a rename.

A reader never sees a half-written file, and an error (disk full, interrupted) leaves the old file
or nothing — never a truncated one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import NeurosimError


def write_atomic(path: str | Path, text: str, *, overwrite: bool = True) -> None:
    """Write `text` (UTF-8) to `path` via a temporary file and a rename.

    With `overwrite=False` an existing `path` is a user error (and is left untouched).
    """
    path = Path(path)
    if not overwrite and path.exists():
        raise NeurosimError(f"{path}: already exists (use --force to overwrite it)")
    if path.is_dir():
        raise NeurosimError(f"{path}: is a directory")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise NeurosimError(f"{path}: directory {directory} does not exist")
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise NeurosimError(f"{path}: cannot write ({error.strerror})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        if not overwrite and path.exists():  # appeared meanwhile
            raise NeurosimError(f"{path}: already exists (use --force to overwrite it)")
        os.replace(temp, path)
    except OSError as error:
        raise NeurosimError(f"{path}: cannot write ({error.strerror})") from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
