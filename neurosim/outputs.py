"""Where output goes: only regular files, and a command's several files all together or not at all.

`writable(path)` says whether `path` may be written: a regular file or nothing is replaced; a
symbolic link is followed (and said so) to the file it names; a device, a FIFO, a socket or a
directory is refused in one line (`-o -` is standard output, which the commands handle).

`write_together(directory, files)` writes a command's files (variants, sheets and keys, grade
reports) into `directory`: every file is first built in a temporary folder beside it, then moved
in; the files it replaces are moved aside first and put back if a move fails, so the folder holds
all the new files or all the old ones. A lock beside the folder keeps two commands from writing
into it at once: the second is refused in one line, never mixed with the first.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from .errors import NeurosimError
from .messages import say


def os_error(path, error: OSError) -> NeurosimError:
    """An OSError on `path` as one line: 'out/x.md: cannot be written (Not a directory)'."""
    reason = error.strerror or str(error)
    if error.errno == errno.ENAMETOOLONG:
        reason = say("a name in the path is longer than the file system allows (255 bytes)")
    return NeurosimError(say("{path}: cannot be written ({error})", path=_short(path), error=reason))


def _short(path) -> str:
    text = str(path)
    return text if len(text) <= 120 else f"{text[:60]}…{text[-40:]}"


def writable(path: str | Path) -> Path:
    """The file to write for `path`: `path` itself, or the file a symbolic link names (said on
    standard error). A device, FIFO, socket or directory is a one-line error."""
    path = Path(path)
    try:
        if path.is_symlink():
            target = path.resolve()
            print(say("neurosim: note: {path} is a symbolic link; writing the file it points to, {target}",
                      path=path, target=target), file=sys.stderr)
            path = target
        mode = path.stat().st_mode if path.exists() else None
    except OSError as error:
        raise os_error(path, error) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise NeurosimError(say("{path}: is a directory", path=path))
    if mode is not None and not stat.S_ISREG(mode):
        raise NeurosimError(say("{path}: is not a regular file (a device, a FIFO or a socket); neurosim writes only "
                                "regular files (-o - writes to standard output)", path=path))
    return path


def prepare_directory(directory: str | Path) -> Path:
    """`directory`, checked to be one or creatable (its parents are made): a one-line error on a
    regular file in the way, a read-only place, /proc, or a name too long."""
    directory = Path(directory)
    try:
        if directory.exists() and not directory.is_dir():
            raise NeurosimError(say("{path}: is a file, not a directory", path=directory))
        directory.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise os_error(directory, error) from None
    return directory


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold the lock file .NAME.lock beside `directory`; refuse if another command holds it."""
    lock = directory.parent / f".{directory.name[:200]}.lock"
    while True:
        try:
            handle = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
        except OSError as error:
            raise os_error(directory, error) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            raise NeurosimError(say("{path}: another neurosim command is writing into it; run this one when it "
                                    "has finished", path=directory)) from None
        try:
            same = os.path.samestat(os.fstat(handle), os.stat(lock))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(handle)  # the file was removed by the holder as we opened it: lock the new one
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(handle)


def write_together(directory: str | Path, files: Mapping[str, str | bytes], *, force: bool,
                   stale: Iterable[str] = ()) -> None:
    """Write `files` (name → text or bytes) into `directory`, all together or not at all. An
    existing file among them is refused without `force`; `stale` names files of an earlier run
    to remove with them (`variants --force --count 2` over five: v03 … v05)."""
    directory = prepare_directory(directory)
    with _locked(directory):
        try:
            existing = [name for name in files if os.path.lexists(directory / name)]
        except OSError as error:
            raise os_error(directory, error) from None
        if existing and not force:
            raise NeurosimError(say("{path}: already exists (use --force to overwrite it)",
                                    path=directory / existing[0]))
        for name in existing:
            writable(directory / name)
        import shutil  # (start-up: these load when files are written)
        import tempfile

        try:
            building = Path(tempfile.mkdtemp(prefix=f".{directory.name[:60]}.", dir=directory.parent))
        except OSError as error:
            raise os_error(directory, error) from None
        try:
            for name, content in files.items():
                (building / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
            _move_in(building, directory, list(files), [n for n in stale if n not in files])
        except OSError as error:
            raise os_error(directory, error) from None
        finally:
            shutil.rmtree(building, ignore_errors=True)


def _move_in(building: Path, directory: Path, names: list[str], stale: list[str]) -> None:
    """Move the built files into `directory` (a new one: renamed there whole); the files replaced
    and the stale ones are moved aside first, and put back if a move fails."""
    if not directory.exists():
        os.chmod(building, 0o777 & ~_umask())
        os.rename(building, directory)
        return
    import shutil
    import tempfile

    aside = Path(tempfile.mkdtemp(prefix=f".{directory.name[:60]}.old.", dir=directory.parent))
    moved_aside, moved_in = [], []
    try:
        for name in [n for n in names + stale if (directory / n).exists()]:
            os.replace(directory / name, aside / name)
            moved_aside.append(name)
        for name in names:
            os.chmod(building / name, 0o666 & ~_umask())
            os.replace(building / name, directory / name)
            moved_in.append(name)
    except OSError:
        for name in moved_in:
            with contextlib.suppress(OSError):
                os.unlink(directory / name)
        for name in moved_aside:
            with contextlib.suppress(OSError):
                os.replace(aside / name, directory / name)
        raise
    finally:
        shutil.rmtree(aside, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
