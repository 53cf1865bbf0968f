"""User-facing sentences and their translations: each is one whole sentence (never glued from
fragments) with `str.format` placeholders, passed through `say` (or `say_count` when the sentence
depends on a number), which looks it up in the active language's catalog and fills it in.

    say("{count} of {total} values right.", count=4, total=7)
    say_count("1 student: {ids}", "{count} students: {ids}", 9, ids="sequential-update")

The catalogs are the standard library's gettext files shipped in the package
(locale/LANG/LC_MESSAGES/neurosim.mo, compiled from the .po beside it by tools/i18n.py). The
language is English unless `set_language` chooses another (the CLI: --lang, or the NEUROSIM_LANG
environment variable, read when nothing chose one). A sentence kept as data to be said later (a
catalog entry's explanation, a table's headers) is marked with `N_`, which returns it unchanged,
and said where the text is made: `say(mistake.explanation)`.
"""

from __future__ import annotations

import functools
import gettext
import os
from contextlib import contextmanager
from pathlib import Path

from .errors import NeurosimError

LANGUAGES = {"en": "English", "zh": "中文 (Chinese)"}
DOMAIN = "neurosim"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_active: list = [None, None]  # (language code, its gettext translations), chosen on first use


def N_(message: str) -> str:
    """Mark a sentence for the catalog without translating it (it is said later, with `say`)."""
    return message


def language_code(text: str, where: str = "--lang") -> str:
    """'zh', 'zh_CN.UTF-8', 'zh-Hans' → 'zh'; 'en_US' → 'en'; anything else is a one-line error."""
    code = str(text).strip().split(".")[0].replace("-", "_").split("_")[0].lower()
    if code not in LANGUAGES:
        raise NeurosimError(f"{where}: unknown language '{text}' (choose from {', '.join(LANGUAGES)})")
    return code


def set_language(code: str | None = None, where: str = "--lang") -> str:
    """Make `code` the language of every sentence said from now on (None: NEUROSIM_LANG, else English)."""
    if code is None:
        env = os.environ.get("NEUROSIM_LANG", "").strip()
        code, where = (env, "NEUROSIM_LANG") if env else ("en", where)
    code = language_code(code, where)
    _active[:] = [code, _catalog(code)]
    return code


@functools.cache
def _catalog(code: str) -> gettext.NullTranslations:
    """The translations of language `code` (English: none, every sentence says itself)."""
    if code == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[code])


def language() -> str:
    """The active language's code ('en', 'zh')."""
    if _active[0] is None:
        set_language()
    return _active[0]


def _translations() -> gettext.NullTranslations:
    if _active[1] is None:
        set_language()
    return _active[1]


@contextmanager
def speaking(code: str):
    """Say everything in the `with` block in language `code` (then the language before it again)."""
    before = list(_active)
    set_language(code)
    try:
        yield
    finally:
        _active[:] = before


def say(message: str, /, **values) -> str:
    """`message` in the active language, with its {placeholders} filled in."""
    text = _translations().gettext(message) if message else message
    return text.format(**values) if values else text


def joined(*sentences: str) -> str:
    """Sentences said one after the other: a space between them, none in Chinese (its punctuation is
    full-width and carries its own space)."""
    return ("" if language() == "zh" else " ").join(s for s in sentences if s)


def said(messages) -> tuple[str, ...]:
    """Each of `messages` (marked with N_: a table's headers) in the active language."""
    return tuple(say(m) for m in messages)


def say_count(one: str, many: str, count: int, /, **values) -> str:
    """The singular or plural sentence for `count` (available as {count}) in the active language, filled in."""
    return _translations().ngettext(one, many, count).format(count=count, **values)


def count_templates(one: str, many: str, /) -> tuple[str, str]:
    """The sentence for a count of 1 and for any other count, in the active language, with {count}
    left in: for a page's script, which fills them in itself (views/page.py)."""
    translations = _translations()
    return translations.ngettext(one, many, 1), translations.ngettext(one, many, 2)


def say_unknown(with_hint: str, without_hint: str, word: str, choices, /, **values) -> str:
    """The sentence for an unknown `word`: `with_hint` with {hint}, the nearest of `choices`, filled
    in (did you mean …?), or else `without_hint` with {choices}, all of them listed; both sentences
    are marked with N_ where they are written."""
    import difflib

    choices = [str(c) for c in choices]
    hint = difflib.get_close_matches(str(word), choices, n=1)
    if hint:
        return say(with_hint, hint=hint[0], **values)
    return say(without_hint, choices=", ".join(choices), **values)
