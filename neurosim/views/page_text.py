"""The sentences of a page (its headings, buttons, panels and verdicts), said in the active language
for the page's script, which switches between the languages without asking Python again. The
verdicts are check/verdict.py's own sentences, with their {placeholders} left for the script."""

from __future__ import annotations

from ..messages import N_, count_templates, say

UI = {
    "step": N_("Step"),
    "sample": N_("Sample"),
    "language": N_("Language"),
    "explore": N_("Click a neuron, a weight or a bias (or reach it with the Tab key) to see where its value comes "
                  "from: its formula, the numbers in it and its value. Every name in a formula is a link to that "
                  "name's own line."),
    "practise": N_("Work the step out yourself: write each value in the order below, as you would on paper. Each "
                   "is judged at once, at the precision you write it (0.7500 claims four decimals). Click a name "
                   "to see its formula."),
    "look": N_("Click a neuron, a weight or a bias (or reach it with the Tab key) to see its formulas; every name "
               "in a formula is a link to that name's own line."),
    "practiceTitle": N_("Your values"),
    "quantity": N_("quantity"),
    "formula": N_("formula"),
    "yours": N_("yours"),
    "verdict": N_("verdict"),
    "progress": N_("{right} of {count} values right, {done} written."),
    "student": N_("Your name"),
    "export": N_("Save the answers as CSV (for neurosim grade)"),
    "clear": N_("Clear my values"),
    "partOf": N_("Part of:"),
    "usedIn": N_("Used in:"),
    "unused": N_("Not used in any other line of this page."),
    "noPanel": N_("This page has no line for {name}."),
    "notANumber": N_("'{text}' is not a number"),
    "tooManyDigits": N_("'{text}' has more digits than a number can be judged to (at most {count} decimals)"),
    "tables": N_("The stage tables of the step"),
    "pick": N_("Pick a neuron, a weight or a bias in the drawing."),
    "followThrough": N_("follow-through"),  # check/report.py's words, for the same verdicts
    "follows": N_("follows from your {names}"),
    "firstWrong": N_("your first wrong line"),
    "ownSlip": N_("a slip of its own"),
    "comma": N_(", "),
}


def ui_texts() -> dict[str, str]:
    """The page's sentences in the active language, placeholders left for the script."""
    return {key: say(text) for key, text in UI.items()}


def verdict_texts() -> dict[str, str]:
    """check/verdict.py's sentences (Verdict.describe, wrong_from), placeholders left for the script."""
    one, many = count_templates("correct to 1 decimal", "correct to {count} decimals")
    return {"correct1": one, "correctN": many, "whole": say("correct (whole number)"),
            "floatOrder": say("correct (float64 evaluation order: the last digits differ by a unit or two)"),
            "truncated": say("correct, but the last digit truncated instead of rounded"),
            "halfEven": say("correct, but the last digit rounded half-to-even instead of half-up"),
            "sign": say("wrong sign (the digits are right)"), "beforePoint": say("wrong before the decimal point"),
            "st": say("wrong from the {n}st decimal on"), "nd": say("wrong from the {n}nd decimal on"),
            "rd": say("wrong from the {n}rd decimal on"), "th": say("wrong from the {n}th decimal on")}


def entity_titles(kind: str, name: str) -> str:
    """The heading of a neuron's, a weight's or a bias's panel."""
    if kind == "neuron":
        return say("Neuron {name}", name=name)
    if kind == "weight":
        return say("Weight {name}", name=name)
    return say("Bias {name}", name=name)
