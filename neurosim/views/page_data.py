"""The data a page's script reads (`page_data`), as JSON: for every traced step, its panel lines in
every language (page_equations.py; a field the languages write alike is stored once), the values a
student's numbers are judged against (full precision, in the notation's sign; under hand rounding
also the unrounded value, arithmetic.as_checked), the neurons, weights and biases the drawing
shows, the sentences of the page in every language, and on a practice page the formulas its
follow-through recomputes with the student's values (page_formulas.py).
"""

from __future__ import annotations

import hashlib
import json

from ..core.arithmetic import Kept, unrounded
from ..core.exercise import Spec
from ..core.formulas import StepFormulas
from ..core.notation import NameMap
from ..core.trace import StepTrace
from ..messages import LANGUAGES, speaking
from .page_equations import PageLine, neuron_panel, step_lines
from .page_formulas import formulas_data, number_text
from .page_subset import Drawn
from .page_text import entity_titles, ui_texts, verdict_texts

# PageLine's fields as the script reads them
SHORT = {"id": "id", "internal": "i", "entity": "e", "sample": "s", "lhs": "l", "formula": "f", "numbers": "n",
         "value": "v", "note": "t", "uses": "u", "given": "g", "negative": "ng"}


def merged(lines_by_language: dict[str, list[PageLine]]) -> list[dict]:
    """One record per line: each field once when every language writes it alike, else {code: text}."""
    codes = list(lines_by_language)
    records = []
    for lines in zip(*lines_by_language.values()):
        record = {}
        for field, short in SHORT.items():
            values = [getattr(line, field) for line in lines]
            value = values[0] if all(v == values[0] for v in values) else dict(zip(codes, values))
            if value in ("", None, (), False):
                continue
            record[short] = list(value) if isinstance(value, tuple) else (1 if value is True else value)
        records.append(record)
    return records


def judged_values(quantities: dict[str, float], names: NameMap, lines: list[PageLine]) -> tuple[dict, dict]:
    """(id → the computed value, id → the unrounded one where hand rounding kept another) of every
    line a student works out, in the notation's sign."""
    values, raws = {}, {}
    for line in lines:
        if not line.id or line.given or line.internal not in quantities:
            continue
        value, sign = quantities[line.internal], names.sign(line.internal)
        values[line.id] = number_text(sign * float(value))
        if isinstance(value, Kept) and unrounded(value) != float(value):
            raws[line.id] = number_text(sign * unrounded(value))
    return values, raws


def step_data(spec: Spec, trace: StepTrace, names: NameMap, drawn: Drawn, digits: int) -> dict:
    """The JSON record of one traced step."""
    quantities = trace.quantities()
    by_language = {}
    for code in LANGUAGES:
        with speaking(code):
            by_language[code] = step_lines(spec, trace, names, drawn, digits, quantities)
    lines = next(iter(by_language.values()))
    values, raws = judged_values(quantities, names, lines)
    return {"step": trace.step, "samples": drawn.samples or 1, "lines": merged(by_language), "x": values,
            "r": raws}


def entities(drawn: Drawn, names: NameMap) -> dict[str, dict]:
    """The panels of the neurons, weights and biases drawn: id → {kind, title in every language}."""
    result = {}
    for neuron in drawn.neurons:
        result[neuron_panel(names, neuron)] = {"kind": "neuron", "title": {}}
    for weight, _, _ in drawn.weights:
        result[names.name(weight)] = {"kind": "weight", "title": {}}
    for bias, _ in drawn.biases:
        result[names.name(bias)] = {"kind": "bias", "title": {}}
    for code in LANGUAGES:
        with speaking(code):
            for panel, record in result.items():
                label = panel.partition(":")[2] if record["kind"] == "neuron" else panel
                record["title"][code] = entity_titles(record["kind"], label)
    return result


def page_data(spec: Spec, traces: list[StepTrace], names: NameMap, drawn: Drawn, digits: int, practice: bool,
              language: str) -> dict:
    """Everything the page's script reads (a practice page: the formulas it follows values through too)."""
    steps = [step_data(spec, trace, names, drawn, digits) for trace in traces]
    formulas = None
    if practice:
        writable = [(s["step"], line["i"]) for s in steps for line in s["lines"] if line.get("id") in s["x"]]
        formulas = formulas_data(StepFormulas({t.step: t for t in traces}), writable, len(traces[0].updates))
    texts = {}
    for code in LANGUAGES:
        with speaking(code):
            texts[code] = {"name": LANGUAGES[code], "ui": ui_texts(), "verdict": verdict_texts()}
    arithmetic = spec.conventions.arithmetic
    fingerprint = json.dumps([spec.title, spec.variant, spec.notation, [(s["step"], s["x"]) for s in steps]])
    return {"lang": language, "texts": texts, "practice": practice, "formulas": formulas,
            "roundTo": arithmetic.round_to, "lastStep": spec.steps, "variant": spec.variant or "", "steps": steps,
            "entities": entities(drawn, names),
            "key": "neurosim-page-" + hashlib.sha256(fingerprint.encode()).hexdigest()[:16]}
