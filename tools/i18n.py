"""neurosim's translation catalogs, with the standard library only (no xgettext or msgfmt needed).

    python tools/i18n.py update     # add the code's new sentences to every .po (empty), drop stale ones
    python tools/i18n.py compile    # write each .mo from its .po
    python tools/i18n.py check      # every sentence translated, no stale entry, every .mo up to date

The sentences are found by reading the code (ast): the first argument of `say(...)` and `N_(...)`,
the first two of `say_count(...)`, each a string literal. A call with any other first argument says
a sentence marked elsewhere with N_ (tests/test_translations.py renders every output in each
language and fails on a sentence missing from a catalog).
"""

from __future__ import annotations

import ast
import re
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "neurosim"
LOCALE = PACKAGE / "locale"
FUNCTIONS = {"say": 1, "N_": 1, "say_count": 2}  # how many leading arguments are sentences
HEADER = {"zh": ("Project-Id-Version: neurosim\nLanguage: zh\nMIME-Version: 1.0\n"
                 "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"
                 "Plural-Forms: nplurals=1; plural=0;\n")}
_FIELD = re.compile(r"(?<!\{)\{(\w*)[^{}]*\}(?!\})|\{\{(\w+)\}\}")


class Message:
    """A sentence of the code: msgid, msgid_plural (say_count) or None, and where it is said."""

    def __init__(self, msgid: str, plural: str | None = None):
        self.msgid, self.plural, self.where = msgid, plural, []

    @property
    def key(self) -> tuple[str, str | None]:
        return self.msgid, self.plural


def _called(node: ast.Call) -> str | None:
    f = node.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
    return name if name in FUNCTIONS else None


def extract(package: Path = PACKAGE) -> tuple[dict[str, Message], list[str]]:
    """(every sentence of the code by msgid, in the order met; the call sites whose sentence is not
    a literal: 'path:line')."""
    messages: dict[str, Message] = {}
    dynamic = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _called(node) is None:
                continue
            n = FUNCTIONS[_called(node)]
            args = node.args[:n]
            if len(args) < n or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                dynamic.append(f"{rel}:{node.lineno}")
                continue
            msgid, plural = args[0].value, (args[1].value if n == 2 else None)
            if not msgid:
                continue
            message = messages.setdefault(msgid, Message(msgid, plural))
            if message.plural is None and plural is not None:
                message.plural = plural
            message.where.append(f"{rel}:{node.lineno}")
    for message in messages.values():
        message.where.sort(key=lambda w: (w.rpartition(":")[0], int(w.rpartition(":")[2])))
    return messages, dynamic


def placeholders(text: str) -> list[str]:
    """The {fields} of a sentence (and its {{slots}} left for a second format), sorted."""
    return sorted(a or f"{{{b}}}" for a, b in _FIELD.findall(text))


# -- .po files -------------------------------------------------------------------------------------
def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def read_po(path: Path) -> dict[str, tuple[str | None, list[str]]]:
    """msgid → (msgid_plural, translations: [msgstr] or the plural forms); the header under ''."""
    entries: dict[str, tuple[str | None, list[str]]] = {}
    fields: dict[str, str] = {}
    last = None

    def flush() -> None:
        if "msgid" in fields:
            forms = [fields[k] for k in sorted(k for k in fields if k.startswith("msgstr"))]
            entries[fields["msgid"]] = (fields.get("msgid_plural"), forms)
        fields.clear()
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line or line.startswith("#"):
            if not line:
                flush()
            continue
        if line.startswith('"'):
            fields[last] += _unquote(line)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid" and "msgid" in fields:
            flush()
        last = keyword
        fields[keyword] = _unquote(rest)
    return entries


def write_po(path: Path, language: str, messages: dict[str, Message],
             translations: dict[str, tuple[str | None, list[str]]]) -> None:
    """The catalog of `language`: one entry per sentence of the code, in the order met, with its
    translation (empty where there is none yet)."""
    out = [f"# neurosim's {language} catalog. `python tools/i18n.py update` adds new sentences; translate them",
           "# here (keep every {placeholder}), then `python tools/i18n.py compile`.",
           'msgid ""', 'msgstr ""'] + [_quote(line + "\n") for line in HEADER[language].splitlines()] + [""]
    for m in messages.values():
        forms = translations.get(m.msgid, (None, []))[1]
        out.append("#: " + " ".join(m.where))
        out.append(f"msgid {_quote(m.msgid)}")
        if m.plural is None:
            out.append(f"msgstr {_quote(forms[0] if forms else '')}")
        else:
            out.append(f"msgid_plural {_quote(m.plural)}")
            out.append(f"msgstr[0] {_quote(forms[0] if forms else '')}")
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8")


# -- .mo files -------------------------------------------------------------------------------------
def compile_po(entries: dict[str, tuple[str | None, list[str]]]) -> bytes:
    """The GNU .mo file of a catalog: untranslated entries left out, keys sorted, no hash table."""
    pairs = {}
    for msgid, (plural, forms) in entries.items():
        if msgid == "":
            pairs[b""] = forms[0].encode("utf-8")
        elif forms and all(forms):
            key = msgid if plural is None else f"{msgid}\0{plural}"
            pairs[key.encode("utf-8")] = "\0".join(forms).encode("utf-8")
    keys = sorted(pairs)
    ids = b"".join(k + b"\0" for k in keys)
    strs = b"".join(pairs[k] + b"\0" for k in keys)
    start = 7 * 4 + 16 * len(keys)
    offsets, o = [], 0
    for k in keys:
        offsets += [len(k), start + o]
        o += len(k) + 1
    toffsets, o = [], 0
    for k in keys:
        toffsets += [len(pairs[k]), start + len(ids) + o]
        o += len(pairs[k]) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    return header + struct.pack(f"{len(offsets)}i", *offsets) + struct.pack(f"{len(toffsets)}i", *toffsets) + ids + strs


def catalogs() -> dict[str, Path]:
    """language → its .po file."""
    return {p.parent.parent.name: p for p in sorted(LOCALE.glob("*/LC_MESSAGES/neurosim.po"))}


def problems(language: str, po: Path, messages: dict[str, Message]) -> list[str]:
    """What is wrong with one catalog: missing or empty translations, placeholders that differ,
    stale entries, a .mo that is not the .po compiled."""
    entries = read_po(po)
    found = []
    for m in messages.values():
        plural, forms = entries.get(m.msgid, (None, []))
        if not forms or not all(forms):
            found.append(f"{language}: no translation of {m.msgid!r} ({m.where[0]})")
            continue
        if plural != m.plural:
            found.append(f"{language}: {m.msgid!r}: the catalog's plural is {plural!r}, the code's {m.plural!r}")
        for k, form in enumerate(forms):  # a language of one form says every count with the plural's
            wanted = [placeholders(m.plural if m.plural is not None else m.msgid)]
            if k == 0 and len(forms) > 1:
                wanted.append(placeholders(m.msgid))
            if placeholders(form) not in wanted:
                found.append(f"{language}: {m.msgid!r}: placeholders {placeholders(form)} in {form!r}, "
                             f"the sentence has {wanted[0]}")
    found += [f"{language}: stale entry {msgid!r} (no longer in the code)" for msgid in entries
              if msgid and msgid not in messages]
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.read_bytes() != compile_po(entries):
        found.append(f"{language}: {mo.name} is not {po.name} compiled (python tools/i18n.py compile)")
    return found


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    messages, _ = extract()
    for language, po in catalogs().items():
        if command == "update":
            write_po(po, language, messages, read_po(po))
        elif command == "compile":
            po.with_suffix(".mo").write_bytes(compile_po(read_po(po)))
        elif command == "check":
            found = problems(language, po, messages)
            print("\n".join(found) or f"{language}: {len(messages)} sentences, all translated")
            if found:
                return 1
        else:
            print(__doc__)
            return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
