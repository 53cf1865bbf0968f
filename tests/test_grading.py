"""`neurosim grade`: a whole class graded at once, with the reason for each wrong number.

The done-when of issue 10: 30 variants of Mazur's example; a class of 30 students built here —
right answers, the catalog's typical mistakes (each student's numbers computed by applying the
mistake to the student's variant, apply_mistakes + variant_quantities, not by the grader's
search) and typos; the grader must name each injected mistake for its student, give the typos
"no explanation", and count right. The expected counts are worked out here from the values
written, by comparing digits with the correct value, not with the verdict code.
"""

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from neurosim.check.catalog import variant_quantities
from neurosim.check.grading import grade_class
from neurosim.check.mistakes import BY_ID, apply_mistakes
from neurosim.cli import main
from neurosim.files.answers import parse_answers, written_number
from neurosim.files.exercise import load_spec
from neurosim.views.grade_report import render_csv
from neurosim.views.grade_report_html import render_html

from .test_sheet import self_contained

COLUMNS = ("E_total", "out_o1", "dE/dw5", "w5+", "dE/dw1", "w1+@1")
PLAN = (["right"] * 10 + ["sequential-update"] * 7 + ["no-activation-derivative"] * 3 + ["sign-flipped"] * 2
        + ["no-learning-rate"] * 2 + ["factor-2-kept"] * 2 + ["derivative-of-net"] * 1 + ["typo"] * 3)


def typo(text: str) -> str:
    """Two neighbouring different digits after the point swapped (0.358916 → 0.359816)."""
    point = text.index(".")
    for k in range(point + 3, len(text) - 1):
        if text[k] != text[k + 1]:
            return text[:k] + text[k + 1] + text[k] + text[k + 2:]
    raise AssertionError(f"no two different neighbouring digits in {text}")


def class_rows(variants_dir):
    """(student, variant, kind, written values, correct values written the same way) for 30 students."""
    rows = []
    for k, kind in enumerate(PLAN, start=1):
        variant = f"v{k:02d}"
        spec = load_spec(variants_dir / f"{variant}.toml")
        correct = variant_quantities(spec, apply_mistakes(spec, ()), {1})[1]
        mistakes = () if kind in ("right", "typo") else (BY_ID[kind],)
        values = variant_quantities(spec, apply_mistakes(spec, mistakes), {1})[1]
        written = [f"{values[q.split('@')[0]]:.6f}" for q in COLUMNS]
        if kind == "typo":
            written[3] = typo(written[3])
        rows.append((f"student{k:02d}", variant, kind, written, [f"{correct[q.split('@')[0]]:.6f}" for q in COLUMNS]))
    return rows


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    directory = tmp_path_factory.mktemp("classroom")
    assert main(["variants", "mazur", "--count", "30", "--seed", "11", "-o", str(directory / "variants")]) == 0
    rows = class_rows(directory / "variants")
    lines = ["student,variant," + ",".join(COLUMNS)] + [",".join([s, v, *w]) for s, v, _, w, _ in rows]
    (directory / "class.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = grade_class(parse_answers("\n".join(lines), "class.csv"), directory / "variants")
    return directory, rows, report


def test_every_injected_mistake_is_named_for_its_student_and_typos_get_no_explanation(classroom):
    _, rows, report = classroom
    assert report.problems == () and report.quantities == COLUMNS
    for (student, variant, kind, _, _), grade in zip(rows, report.students):
        assert (grade.student, grade.variant) == (student, variant)
        if kind == "right":
            assert grade.right == len(COLUMNS) and grade.explanation_text() == ""
        elif kind == "typo":
            assert grade.wrong == 1 and grade.explanations == () and grade.explanation_text() == "no explanation"
        else:
            assert grade.wrong > 0 and grade.explanations == (kind,), (student, kind, grade.explanations)


def test_the_class_summary_counts_are_right(classroom):
    _, rows, report = classroom
    for k, tally in enumerate(report.quantity_tallies):
        right = sum(written[k] == correct[k] for _, _, _, written, correct in rows)
        assert (tally.quantity, tally.right, tally.wrong, tally.blank) == (COLUMNS[k], right, len(rows) - right, 0)
    counts = {t.ids: len(t.students) for t in report.explanation_tallies}
    injected = {kind: PLAN.count(kind) for kind in PLAN if kind not in ("right", "typo")}
    assert counts == {**injected, "no explanation": PLAN.count("typo")}
    first = report.explanation_tallies[0]
    assert (first.ids, len(first.students)) == ("sequential-update", 7)
    assert first.meaning == BY_ID["sequential-update"].explanation


def test_cli_writes_csv_markdown_and_html_with_one_row_per_student(classroom, tmp_path, capsys):
    directory, rows, _ = classroom
    code = main(["grade", str(directory / "class.csv"), "--variants", str(directory / "variants"), "-o", str(tmp_path)])
    assert code == 0
    out = capsys.readouterr().out
    assert "30 students graded" in out and "7 students: sequential-update" in out
    assert "3 students: no explanation" in out
    table = list(csv.DictReader(io.StringIO((tmp_path / "grades.csv").read_text(encoding="utf-8"))))
    assert [r["student"] for r in table] == [s for s, *_ in rows]
    for row, (_, _, kind, _, _) in zip(table, rows):
        assert row["explanation"] == {"right": "", "typo": "no explanation"}.get(kind, kind)
    summary = list(csv.reader(io.StringIO((tmp_path / "grades-summary.csv").read_text(encoding="utf-8"))))
    assert ["explanation", "sequential-update", "7", "", "", ""] in summary
    markdown = (tmp_path / "grades.md").read_text(encoding="utf-8")
    assert re.search(r"\n\| student01 +\| v01 +\| 6 of 6 +\| ✓ +\|", markdown)
    assert "## Class summary: right answers per quantity\n\n| quantity" in markdown
    page = (tmp_path / "grades.html").read_text(encoding="utf-8")
    tags = self_contained(page)
    student_rows = page.split("<h2>Students</h2>")[1].count("<tr>") - 1  # less the heading row
    assert student_rows == 30 and sum(tag == "style" for tag, _ in tags.seen) == 1
    assert page.count('<code title="a layer') == 7  # each sequential-update student's row carries its id


def spreadsheet_export(text: str) -> bytes:
    """The class file as a spreadsheet in a decimal-comma locale saves it: semicolons, 0,358916, BOM, CRLF."""
    lines = [line.replace(",", ";").replace(".", ",") for line in text.splitlines()]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def test_a_semicolon_decimal_comma_export_with_a_bom_grades_the_same(classroom, tmp_path):
    directory, _, report = classroom
    path = tmp_path / "export.csv"
    path.write_bytes(spreadsheet_export((directory / "class.csv").read_text(encoding="utf-8")))
    from neurosim.files.answers import read_answers

    again = grade_class(read_answers(path), directory / "variants")
    assert render_csv(again) == render_csv(report)
    assert written_number("0,3589") == "0.3589" and written_number("−0,5") == "-0.5"
    assert written_number("1 234") == "1234" and written_number("O.35") is None


def test_bad_input_is_reported_with_row_and_column_and_the_rest_is_graded(classroom, tmp_path, capsys):
    directory, rows, _ = classroom
    good = [",".join([s, v, w[3], w[5], "x"]) for s, v, _, w, _ in rows[:2]]
    lines = ["student,variant,w5+,w1+@1,w5_new", good[0], good[1].replace(rows[1][3][3], "O.35"),
             "carla,v99,0.1,0.2,", "Student01,v03,0.1,0.2,", "", "dora,v4,0.4,0.1,"]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["grade", str(path), "--variants", str(directory / "variants")])
    captured = capsys.readouterr()
    assert code == 2
    errors = captured.err.splitlines()
    assert errors == [
        "neurosim: error: bad.csv row 1, column E (w5_new): no quantity named 'w5_new' (did you mean 'w5+'?); "
        "the column is not graded",
        "neurosim: error: bad.csv row 3, column C (w5+): 'O.35' is not a number; it is not graded",
        "neurosim: error: bad.csv row 4, column B (variant): no variant file v99.toml; the row is not graded",
        "neurosim: error: bad.csv row 5, column A (student): Student01 is already in row 2; this row is not graded",
    ]
    out = captured.out
    assert "student01  v01        2 of 2" in out and "student02  v02        1 of 2" in out
    assert "dora       v4         " in out  # v4 finds v04
    assert "carla      v99" in out and "not graded" in out


def test_a_file_without_the_headings_is_refused_in_one_line(tmp_path, capsys):
    path = tmp_path / "marks.csv"
    path.write_text("name,w5+\nana,0.3\n", encoding="utf-8")
    assert main(["grade", str(path), "--variants", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "must start with the headings student, variant" in err


def test_the_html_report_renders_in_a_real_browser(classroom, tmp_path):
    """Headless Chromium draws the page: the right and wrong cells and the summary bars show in their
    colours (the structure is checked without a browser in the test above)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (the HTML is checked structurally elsewhere)")
    _, _, report = classroom
    page, shot = tmp_path / "grades.html", tmp_path / "grades.png"
    page.write_text(render_html(report), encoding="utf-8")
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars", "--window-size=1200,2600",
                    f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120, check=True)
    import matplotlib.image

    pixels = (matplotlib.image.imread(shot)[:, :, :3] * 255).round().astype(int)
    colours = {tuple(p) for p in pixels.reshape(-1, 3)[::7]}
    for name, rgb in {"right cell": (218, 251, 225), "wrong cell": (255, 235, 233), "green bar": (45, 164, 78),
                      "red bar": (207, 34, 46)}.items():
        assert rgb in colours, name


def test_the_readme_class_in_docs_grades_without_problems(tmp_path, capsys):
    """docs/classroom: the template and the class file the README's "For teachers" section runs."""
    docs = Path(__file__).resolve().parent.parent / "docs" / "classroom"
    variants = tmp_path / "variants"
    assert main(["variants", str(docs / "template.toml"), "--count", "30", "--seed", "11", "-o", str(variants)]) == 0
    assert main(["grade", str(docs / "answers.csv"), "--variants", str(variants)]) == 0
    out = capsys.readouterr().out
    assert "30 students graded" in out and "9 students: sequential-update" in out
