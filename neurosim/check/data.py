"""A check's verdicts and diagnosis as data (`neurosim check --format json|csv`), for a gradebook or
a script; `neurosim grade` reads the same records. The keys (README "Check your own numbers"):

    values[]: name (as written), quantity (neurosim's name), step, sample, written, computed,
              verdict (right | wrong | follows), detail (the verdict in words), decimals_agreeing,
              root, follows_from[], first_wrong_line, explanations[], weak_explanations[], catalog[]
    an explanation: id (stable: kind and what it names), kind, sentence, at (where the slip is),
              formula (the student's, with their numbers), right_formula, value, digits, chance,
              strength (strong | weak), also[] (other roots it reproduces)
    summary: right, wrong, follows, roots, first_wrong_line {name, step, stage}, following_first,
             exit_code, catalog[] {id, sentence, explains[]}

CSV: one row per value (lists joined with "; ", the first explanation's sentence and formula), then
a blank line and the summary as key,value rows. Nothing here computes.
"""

from __future__ import annotations

import csv
import io
import json
import math

from ..core.notation import name_map
from ..core.notation.quantity import parse
from ..messages import say
from .follow import FOLLOWS, WRONG
from .local import Explanation
from .pipeline import Findings, ValueFindings
from .report import Writer, explanation_formulas, explanation_sentence

VALUE_KEYS = ("name", "quantity", "step", "sample", "written", "computed", "verdict", "detail", "decimals_agreeing",
              "root", "follows_from", "first_wrong_line", "explanations", "weak_explanations", "catalog")


def _number(value: float) -> float | str:
    return value if math.isfinite(value) else repr(value)


def explanation_record(writer: Writer, e: Explanation) -> dict:
    formulas = explanation_formulas(writer.findings, writer, e)
    return {"id": e.id, "kind": e.kind, "sentence": explanation_sentence(writer, e), "at": writer.name(e.site),
            "formula": formulas[0].split(": ", 1)[1] if formulas else "",
            "right_formula": formulas[1].split(": ", 1)[1] if len(formulas) > 1 else "",
            "value": _number(e.value), "digits": e.digits, "chance": round(min(e.chance, 1.0), 6),
            "strength": "strong" if e.strong else "weak", "also": [writer.name(k) for k in e.also]}


def value_record(writer: Writer, findings: Findings, v: ValueFindings) -> dict:
    r = v.row
    q = parse(v.key[1])
    return {
        "name": r.expected.quantity, "quantity": v.key[1], "step": v.key[0],
        "sample": q.sample if q is not None else None, "written": r.expected.text,
        "computed": _number(float(r.computed)), "verdict": v.verdict, "detail": r.verdict.describe(),
        "decimals_agreeing": r.verdict.decimals_agree, "root": v.verdict == WRONG,
        "follows_from": [writer.name(k) for k in v.followed.sources] if v.verdict == FOLLOWS else [],
        "first_wrong_line": v is findings.first,
        "explanations": [explanation_record(writer, e) for e in v.explanations],
        "weak_explanations": [explanation_record(writer, e) for e in v.weak],
        "catalog": list(v.catalog),
    }


def summary_record(writer: Writer, findings: Findings) -> dict:
    values = findings.values
    first = findings.first
    catalog = []
    if findings.catalog is not None:
        rows = findings.result.rows
        for ex in findings.catalog.explanations:
            catalog.append({"id": ex.ids, "sentence": say("; and ").join(m.describe() for m in ex.mistakes),
                            "explains": [r.expected.quantity for r in rows if not r.verdict.ok]})
        for m in findings.catalog.partial:
            if m.strong:
                catalog.append({"id": m.mistake.id, "sentence": m.mistake.describe(),
                                "explains": [rows[k].expected.quantity for k in m.explained]})
    return {
        "right": sum(v.verdict == "right" for v in values), "wrong": sum(v.verdict == WRONG for v in values),
        "follows": sum(v.verdict == "follows" for v in values), "roots": len(findings.roots),
        "first_wrong_line": None if first is None else {"name": writer.name(first.key), "step": first.key[0],
                                                        "stage": say(findings.stage_of(first))},
        "following_first": 0 if first is None else len(findings.following(first)),
        "exit_code": findings.result.exit_code, "catalog": catalog,
    }


def findings_data(findings: Findings, spec) -> dict:
    writer = Writer(findings, name_map(spec), findings.student)
    result = findings.result
    return {"title": result.title, "conventions": result.conventions, "notation": spec.notation,
            "steps": result.steps, "values": [value_record(writer, findings, v) for v in findings.values],
            "summary": summary_record(writer, findings)}


def findings_json(findings: Findings, spec) -> str:
    return json.dumps(findings_data(findings, spec), ensure_ascii=False, indent=2) + "\n"


def findings_csv(findings: Findings, spec) -> str:
    data = findings_data(findings, spec)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = [k for k in VALUE_KEYS if k not in ("explanations", "weak_explanations")]
    writer.writerow([*header, "explanation_ids", "explanation", "formula"])
    for v in data["values"]:
        cells = ["; ".join(v[k]) if isinstance(v[k], list) else ("" if v[k] is None else v[k]) for k in header]
        shown = v["explanations"] or v["weak_explanations"]
        writer.writerow([*cells, "; ".join(e["id"] for e in shown), shown[0]["sentence"] if shown else "",
                         shown[0]["formula"] if shown else ""])
    writer.writerow([])
    summary = data["summary"]
    first = summary["first_wrong_line"]
    for key in ("right", "wrong", "follows", "roots", "following_first", "exit_code"):
        writer.writerow([key, summary[key]])
    writer.writerow(["first_wrong_line", "" if first is None else f"{first['name']} (step {first['step']})"])
    writer.writerow(["catalog", "; ".join(c["id"] for c in summary["catalog"])])
    return out.getvalue()
