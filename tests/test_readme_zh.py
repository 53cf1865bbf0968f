"""README.zh.md is the README's tour in Chinese: the same commands in the same order, the same example
files, the same exercise files and code (their comments may be translated), and every output it
shows is what the command prints with NEUROSIM_LANG=zh (the parts checked here: the Chinese ones)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = (ROOT / "README.md").read_text(encoding="utf-8")
CHINESE = (ROOT / "README.zh.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
FILE = re.compile(r"(?<![\w/.-])((?:[\w-]+/)*[\w-]+\.(?:toml|csv|json|py|tex|md|html|pdf|svg|png))\b")


def commands(text: str) -> list[str]:
    """Every command the text shows: the lines of its ```sh blocks (without their comments) and the
    `$ ` lines of its output blocks."""
    found = []
    for lang, body in FENCE.findall(text):
        for line in body.splitlines():
            if lang == "sh" and line.strip() and not line.startswith("#"):
                found.append(re.sub(r"\s+#.*$", "", line).strip())
            elif lang == "" and line.startswith("$ "):
                found.append(line[2:].strip())
    return found


def code(text: str, lang: str) -> list[str]:
    """The ```lang blocks, without their comments or blank lines (a comment may be translated)."""
    blocks = []
    for fence, body in FENCE.findall(text):
        if fence == lang:
            lines = [re.sub(r"\s+#.*$", "", line).rstrip() for line in body.splitlines()]
            blocks.append("\n".join(line for line in lines if line and not line.lstrip().startswith("#")))
    return blocks


def files(text: str) -> list[str]:
    """The example files the text names (pictures in another language end in -zh.png; the two READMEs
    name each other)."""
    return sorted({name.replace("-zh.png", ".png") for name in FILE.findall(text)} - {"README.md", "README.zh.md"})


def test_the_chinese_readme_shows_the_same_commands_in_the_same_order():
    assert commands(ENGLISH) and commands(CHINESE) == commands(ENGLISH)


def test_the_chinese_readme_uses_the_same_example_files_and_code():
    assert files(CHINESE) == files(ENGLISH)
    for lang in ("toml", "python", "json"):
        assert code(CHINESE, lang) == code(ENGLISH, lang), lang


def test_the_chinese_readme_shows_the_chinese_output():
    for said in ("诊断：1 个解释能重现你写下的每一个值", "从小数点后第 2 位起出错", "梯度和更新：输出层（η = 0.5）",
                 "训练摘要", "已将 30 道习题的题目纸和答案写入 sheets", "已写入 mazur.html"):
        assert said in CHINESE, said
    assert "README.zh.md" in ENGLISH and "README.md" in CHINESE  # each points to the other
