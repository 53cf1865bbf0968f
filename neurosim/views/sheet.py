"""Question sheets (`neurosim sheet`): an exercise as a student gets it — the network (drawn, when
the file has a [plot] table, or as a table of its weights and biases), the samples, the
conventions in words (sheet_conventions.py) and a blank table of the quantities to find (asked.py)
— in Markdown, LaTeX or HTML, through the worked solutions' document model and renderers. The
answer key is answer_key.py.

A drawing is made with matplotlib: HTML puts the SVG in the page (one self-contained file);
Markdown and LaTeX refer to a picture file beside the sheet (SVG, PDF), which the caller writes.
"""

from __future__ import annotations

import io

import attrs

from ..core.exercise import Spec
from ..core.notation import name_map
from ..core.trace import StepTrace
from ..errors import NeurosimError
from ..messages import say, say_count
from .asked import asked_label, asked_quantities, asked_steps, traces_at
from .document import AnswerTable, Document, Grid, Heading, Paragraph, Picture, T
from .explain import RENDERERS
from .explain_setup import given_section
from .figures import has_matplotlib
from .notation_view import NotationView
from .numbers import DEFAULT_DIGITS
from .sheet_conventions import conventions_blocks

SHEET_FORMATS = ("markdown", "latex", "html")
SUFFIXES = {"markdown": ".md", "latex": ".tex", "html": ".html"}
PICTURE_SUFFIXES = {"markdown": ".svg", "latex": ".pdf"}


@attrs.frozen
class SheetFile:
    """A sheet's text, the picture files (name, content) it refers to, to write beside it, and notes
    for the person making it (a drawing that could not be made)."""

    text: str
    pictures: tuple[tuple[str, bytes], ...] = ()
    notes: tuple[str, ...] = ()


def sheet_title(spec: Spec, key: bool = False) -> str:
    if key:
        return (say("Answer key {variant}: {title}", variant=spec.variant, title=spec.title) if spec.variant
                else say("Answer key: {title}", title=spec.title))
    return (say("Exercise {variant}: {title}", variant=spec.variant, title=spec.title) if spec.variant
            else say("Exercise: {title}", title=spec.title))


def question_sheet(spec: Spec, fmt_name: str = "markdown", *, picture_stem: str = "network") -> SheetFile:
    """The question sheet of `spec`; a drawing for Markdown or LaTeX is named `picture_stem` + .svg/.pdf."""
    if fmt_name not in SHEET_FORMATS:
        raise NeurosimError(say("format: unknown '{name}' (choose from {names})", name=fmt_name,
                                names=", ".join(SHEET_FORMATS)))
    traces = traces_at(spec, asked_steps(spec))
    asked = asked_quantities(spec, traces)
    blank = "_" * 24
    heading = (say("Name: {blank}    Variant: {variant}", blank=blank, variant=spec.variant) if spec.variant
               else say("Name: {blank}", blank=blank))
    task = say_count("Work one training step of this network by hand, and write the values asked for in the table "
                     "at the end.",
                     "Work {count} training steps of this network by hand, and write the values asked for in the "
                     "table at the end.", spec.steps)
    blocks = [Paragraph((T(heading),)), Paragraph((T(task),))]
    if spec.sheet.decimals is not None:
        blocks.append(Paragraph((T(say_count("Give every answer to 1 decimal.", "Give every answer to {count} "
                                             "decimals.", spec.sheet.decimals)),)))
    blocks += conventions_blocks(spec)
    given = given_section(traces[1], DEFAULT_DIGITS)
    pictures: tuple[tuple[str, bytes], ...] = ()
    notes: tuple[str, ...] = ()
    if spec.sheet.diagram and not has_matplotlib():
        notes = (say("matplotlib is not installed, so the sheet lists the weights and biases in a table instead of "
                     "drawing the network (pip install matplotlib to draw it)"),)
    elif spec.sheet.diagram:
        picture, pictures = _diagram(spec, fmt_name, picture_stem)
        given = [picture if isinstance(block, Grid) else block for block in given]  # it shows every parameter
    blocks += given
    document = in_notation(Document(sheet_title(spec), tuple(blocks)), spec, traces[1])  # answers: named already
    answers = (Heading(2, say("Your answers")),
               AnswerTable((say("quantity"), say("your answer")), tuple(asked_label(a, spec) for a in asked)))
    return SheetFile(RENDERERS[fmt_name](Document(document.title, document.blocks + answers)), pictures, notes)


def in_notation(document: Document, spec: Spec, trace: StepTrace) -> Document:
    """A document about `trace` in the exercise's notation (views/notation_view.py); its
    description is the author's own text."""
    names = name_map(spec)
    if names.identity:
        return document
    return NotationView(names, trace, DEFAULT_DIGITS, (spec.description,)).document(document)


def _diagram(spec: Spec, fmt_name: str, stem: str) -> tuple[Picture, tuple[tuple[str, bytes], ...]]:
    """The network drawn with its weights, biases (and the sample, when there is one)."""
    from .figures import require_matplotlib
    from .network_diagram import network_diagram

    matplotlib = require_matplotlib()
    network = spec.build_network()
    inputs, targets = spec.samples[0] if len(spec.samples) == 1 else (None, None)
    alt = say("The {shape} network with every weight and bias", shape=network.shape_text())
    with matplotlib.rc_context({"svg.hashsalt": "neurosim", "svg.fonttype": "path"}):
        figure = network_diagram(network, digits=spec.sheet.diagram_digits, inputs=inputs, targets=targets, title="")
        buffer = io.BytesIO()
        if fmt_name == "html":
            figure.savefig(buffer, format="svg", metadata={"Date": None})
            svg = buffer.getvalue().decode("utf-8")
            return Picture(alt, svg=svg[svg.index("<svg"):]), ()
        suffix = PICTURE_SUFFIXES[fmt_name]
        metadata = {"Date": None} if suffix == ".svg" else {"CreationDate": None}
        figure.savefig(buffer, format=suffix[1:], metadata=metadata)
    name = stem + suffix
    return Picture(alt, file=name), ((name, buffer.getvalue()),)
