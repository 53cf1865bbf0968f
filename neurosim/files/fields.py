"""Checks for the values of an exercise file. Each takes the key's full name as messages write it
(`training.steps`, `published[2].digits`) and the value as parsed from TOML, and returns the value
or raises a one-line NeurosimError that starts with that name.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping

from ..core.network import as_number
from ..errors import NeurosimError
from ..messages import N_, say, say_unknown


def table(data: Mapping, key: str, where: str = "") -> Mapping:
    """`data[key]`, which must be a table (an empty one when the key is missing)."""
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise NeurosimError(say("{where}{key}: expected a table, got {type}", where=where, key=key,
                                type=type(value).__name__))
    return value


def check_keys(data: Mapping, known: tuple[str, ...], section: str = "") -> None:
    """Refuse the first key of `data` that is not in `known`, naming the nearest known one."""
    for key in data:
        if key not in known:
            where = f"{section}." if section else ""
            raise NeurosimError(say_unknown(N_("{where}{key}: unknown key (did you mean '{hint}'?)"),
                                            N_("{where}{key}: unknown key (known keys: {choices})"),
                                            key, known, where=where, key=key))


def whole(field: str, value, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise NeurosimError(say("{field}: expected a whole number ≥ {minimum}, got {value!r}", field=field,
                                minimum=minimum, value=value))
    return value


def optional_whole(field: str, value, minimum: int = 0) -> int | None:
    """None for a missing key, else a whole number ≥ minimum."""
    return None if value is None else whole(field, value, minimum)


def string(field: str, value) -> str:
    if not isinstance(value, str):
        raise NeurosimError(say("{field}: expected a string, got {value!r}", field=field, value=value))
    return value


def choice(field: str, value, choices: tuple[str, ...]) -> str:
    """A string that is one of `choices` (checked before anything it names is read: network.bias
    names the biases), else the nearest one named."""
    text = string(field, value)
    if text not in choices:
        raise NeurosimError(say_unknown(N_("{name}: unknown value '{value}' (did you mean '{hint}'?)"),
                                        N_("{name}: unknown value '{value}' (choose from {choices})"),
                                        text, choices, name=field, value=text))
    return text


def boolean(field: str, value) -> bool:
    if not isinstance(value, bool):
        raise NeurosimError(say("{field}: expected true or false, got {value!r}", field=field, value=value))
    return value


def samples(field: str, value) -> tuple[tuple[float, ...], ...]:
    """A list of samples, each a list of numbers ([[0.05, 0.10]]; one flat list is one sample)."""
    if not isinstance(value, list) or not value:
        raise NeurosimError(say("{field}: expected a list of samples such as [[0.05, 0.10]], got {value!r}",
                                field=field, value=value))
    rows = value if all(isinstance(v, list) for v in value) else [value]
    return tuple(tuple(as_number(f"{field}[{i}]", x) for x in row) for i, row in enumerate(rows, start=1))


def parameters(field: str, value):
    """Weights or biases: a table of named values (w1 = 0.15), a list in naming order, or None."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        return {name: as_number(f"{field}.{name}", v) for name, v in value.items()}
    if isinstance(value, list):
        return [as_number(f"{field}[{i}]", v) for i, v in enumerate(value, start=1)]
    raise NeurosimError(say("{field}: expected a table of named values (w1 = 0.15) or a list, got {value!r}",
                            field=field, value=value))


def quote_hint(text: str, error: Exception) -> str:
    """For a key TOML cannot read bare (w5+ = 0.3589: + / @ are not allowed in a bare key), how to
    write it: quoted."""
    at = re.search(r"at line (\d+)", str(error))
    lines = text.splitlines()
    if at is None or not 1 <= int(at.group(1)) <= len(lines):
        return ""
    key, eq, value = lines[int(at.group(1)) - 1].partition("=")
    key = key.strip()
    if not eq or not key or key[0] in "\"'[" or not any(c in key for c in "+/@"):
        return ""
    return say("; quote a name that holds + / or @: {fixed}", fixed=f'"{key}" = {value.strip()}')


def parse_toml(text: str, path) -> dict:
    """The TOML `text` of the file `path` parsed; an error is one line naming the file (with the hint
    to quote a name that holds + / or @; arrays or tables nested hundreds deep: RecursionError)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise NeurosimError(say("{path}: not valid TOML: {error}", path=path, error=error) + quote_hint(text, error)) \
            from None
    except RecursionError:
        raise NeurosimError(say("{path}: nested too deeply to read (arrays or tables within each other)",
                                path=path)) from None
