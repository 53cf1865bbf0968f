"""How long the classroom takes (timings are measured here, never asserted in tests).

    python bench/classroom_speed.py

30 variants of Mazur's example, their question sheets and answer keys (HTML, without and with
the drawn network), and the grading of the README's class of 30 (docs/classroom), reported beside
the cost of one `neurosim check` diagnosis of a slip no catalog entry explains (the worst case:
every entry alone and every pair is tried), the unit grading is made of.
"""

import copy
import tempfile
import time
import tomllib
from pathlib import Path

from neurosim.check.catalog import diagnose
from neurosim.check.grading import grade_class
from neurosim.core.exercise import Expected
from neurosim.files.answers import read_answers
from neurosim.files.exercise import spec_from_dict
from neurosim.files.variants import make_variants
from neurosim.scenarios import export_text, scenario_dict
from neurosim.views.answer_key import answer_key
from neurosim.views.sheet import question_sheet

DOCS = Path(__file__).resolve().parent.parent / "docs" / "classroom"


def timed(label, action, unit=None):
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    ratio = f"   {seconds / unit:6.1f} diagnoses" if unit else ""
    print(f"{label:58s} {seconds:7.2f} s{ratio}")
    return result, seconds


def main():
    mazur = scenario_dict("mazur")
    spec = spec_from_dict(mazur)
    slip = [Expected("w1+", None, "0.149781"), Expected("w5+", None, "0.3598")]  # w5+ = 0.3589 with two digits swapped
    _, one = timed("one diagnosis of a slip (Mazur; every entry and pair tried)", lambda: diagnose(spec, slip))
    variants, _ = timed("30 variants of mazur", lambda: make_variants(mazur, 30, 7, source="mazur",
                                                                      template_text=export_text("mazur")), one)
    timed("30 sheets and keys, HTML", lambda: [(question_sheet(v.spec, "html"), answer_key(v.spec, "html"))
                                               for v in variants], one)
    plotted = copy.deepcopy(mazur)
    plotted["plot"] = {}
    drawn = make_variants(plotted, 30, 7)
    timed("30 sheets and keys, HTML, network drawn", lambda: [(question_sheet(v.spec, "html"),
                                                                answer_key(v.spec, "html")) for v in drawn], one)
    with tempfile.TemporaryDirectory() as directory:
        template = tomllib.loads((DOCS / "template.toml").read_text(encoding="utf-8"))
        for v in make_variants(template, 30, 11):
            (Path(directory) / f"{v.id}.toml").write_text(v.text, encoding="utf-8")
        report, _ = timed("grading the README's class of 30 (docs/classroom)",
                          lambda: grade_class(read_answers(DOCS / "answers.csv"), directory), one)
    print(f"{sum(1 for s in report.students if s.wrong)} of 30 students diagnosed")


if __name__ == "__main__":
    main()
