"""The figures an exercise is checked against: a source's published values ([[published]]) and the
user's own hand-computed ones ([expect], or `--expect NAME=VALUE` on the command line). Values are
strings, so the digits stay as written ("0.7500" keeps its four decimals).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from ..core.exercise import Expected, Published
from ..core.network import as_number
from ..core.written import TooManyDigits, parse_written
from ..errors import NeurosimError
from ..messages import N_, say
from .fields import check_keys, optional_whole, string
from .training import TRAINING_KEYS, conventions_from

PUBLISHED_KEYS = ("quantity", "value", "source", "digits") + TRAINING_KEYS


def parse_expected(key: str, value, where: str = "expect.") -> Expected:
    """One `[expect]` entry (or `--expect NAME=VALUE`): 'w5+@2' → name 'w5+', step 2."""
    quoted = where == "expect." and any(c in key for c in '/+@[]. ')  # as the key is written in TOML
    label = f'{where}"{key}"' if quoted else f"{where}{key}"
    if not isinstance(key, str) or not key.strip():
        raise NeurosimError(say("{where}: an empty quantity name", where=where))
    name, at, step_text = key.strip().partition("@")
    step = None
    if at:
        if not step_text.isdigit() or int(step_text) < 1:
            raise NeurosimError(say("{label}: '@{step}' is not a step number (write e.g. {name}@2)", label=label,
                                    step=step_text, name=name))
        step = int(step_text)
    if isinstance(value, Mapping):
        raise NeurosimError(say("{label}: expected a number, got a table (quote names with dots or "
                                "slashes: \"dE/dw5\" = \"0.0822\")", label=label))
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        shown = str(value).lower() if isinstance(value, bool) else repr(value)
        raise NeurosimError(say("{label}: expected a number, got {shown}", label=label, shown=shown))
    try:
        written = parse_written(value)
    except TooManyDigits as error:
        raise NeurosimError(say("{label}: {reason}", label=label, reason=error)) from None
    except NeurosimError:
        sentence = N_("{label}: {value!r} is not a finite number") if _decimal(value) else \
            N_("{label}: {value!r} is not a number")
        raise NeurosimError(say(sentence, label=label, value=value)) from None
    return Expected(name.strip(), step, written.text)


def _decimal(value) -> bool:
    """Whether `value` reads as a decimal number at all (inf and nan do: they are not finite)."""
    try:
        Decimal(str(value).strip())
    except InvalidOperation:
        return False
    return True


def expected_values(expect: Mapping) -> tuple[Expected, ...]:
    """The [expect] table, entry by entry."""
    return tuple(parse_expected(str(key), value) for key, value in expect.items())


def published_figures(entries, training: Mapping) -> tuple[Published, ...]:
    """The [[published]] entries; `training` is the exercise's [training] table, under which an
    entry's own training keys must make valid conventions too."""
    if not isinstance(entries, list):
        raise NeurosimError("published: expected an array of tables ([[published]])")
    return tuple(_published(i, entry, training) for i, entry in enumerate(entries, start=1))


def _published(i: int, entry, training: Mapping) -> Published:
    if not isinstance(entry, Mapping):
        raise NeurosimError(f"published[{i}]: expected a table")
    check_keys(entry, PUBLISHED_KEYS, "published")
    value = entry.get("value")
    if not isinstance(value, str):
        raise NeurosimError(f"published[{i}].value: write the number as a string, as the source prints it")
    as_number(f"published[{i}].value", value)
    overrides = tuple((k, v) for k, v in entry.items() if k in TRAINING_KEYS)
    if overrides:
        conventions_from({**training, **dict(overrides)}, f"published[{i}].")
    digits = optional_whole(f"published[{i}].digits", entry.get("digits"))
    return Published(string(f"published[{i}].quantity", entry.get("quantity")), value,
                     str(entry.get("source", "")), overrides, digits)
