"""What a teacher opens is the class's text shown as written (issue: hostile input): grades.csv never
runs a student's name as a spreadsheet formula, grades.md and `run --format markdown` escape
Markdown and HTML, and a | or a line break in a name does not shift or split a row."""

import csv
import io
import re

import pytest

from neurosim.cli.main import main


def run(argv):
    out = io.StringIO()
    return main(argv, out), out.getvalue()


NAMES = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3",
         "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "Ann | Lee", "Bob\nSmith"]


@pytest.fixture
def graded(tmp_path):
    assert run(["variants", "mazur", "--count", "1", "-o", str(tmp_path / "v")])[0] == 0
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student", "variant", "w5+"])
    for name in NAMES:
        writer.writerow([name, "v01", "0.3"])
    answers = tmp_path / "<b>class.csv"
    answers.write_text(buffer.getvalue())
    code, _ = run(["grade", str(answers), "--variants", str(tmp_path / "v"), "-o", str(tmp_path / "out")])
    assert code == 0
    return tmp_path / "out"


def test_grades_csv_neutralises_formulas_and_keeps_numbers(graded):
    rows = list(csv.reader((graded / "grades.csv").open(encoding="utf-8")))
    students = [row[0] for row in rows[1:]]
    assert students == ["'" + NAMES[0], "'" + NAMES[1], "'" + NAMES[2], "'" + NAMES[3], *NAMES[4:]]
    for row in rows[1:]:
        assert row[2] in ("", "0") and not row[2].startswith("'")  # a number stays a number


def test_grades_md_escapes_html_pipes_and_line_breaks(graded):
    text = (graded / "grades.md").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<", text)  # every < escaped: no tag reaches the HTML it is rendered as
    assert "\\<script\\>" in text and "\\<img src=x" in text and "\\<b\\>class" in text
    table = [line for line in text.splitlines() if line.startswith("|")]
    columns = {line.replace("\\|", "").count("|") for line in table[:len(NAMES) + 2]}
    assert len(columns) == 1  # every row of the students' table has as many cells as its heading
    assert any("Bob Smith" in line for line in table)


def test_run_markdown_escapes_the_exercise_title(tmp_path):
    out = io.StringIO()
    main(["export", "mazur"], out)
    text = out.getvalue().replace('title = "', 'title = "<script>x</script> | ', 1)
    path = tmp_path / "t.toml"
    path.write_text(text)
    code, shown = run(["run", str(path), "--format", "markdown"])
    assert code == 0 and not re.search(r"(?<!\\)<script", shown)
    assert shown.startswith("## \\<script\\>x\\</script\\> \\| ")
