"""The formulas of the forward pass and the loss (graph.py asks here for them): net and out of a
neuron (before the update and after it, net_h1+ and out_h1+), softmax's exponentials and their sum,
the raw error e_o1, the loss terms E_o1 (and after the update E_o1+), E_total (of a sample, of the
step, after the update). A name written_names.py adds (e^net_o1, E_o1+ …) is used where the step
has it, so a person's intermediate line is an operand of the formula after it."""

from __future__ import annotations

from collections.abc import Mapping

from .expr import Add, Call, Const, Div, Expr, Mul, Var
from .functions import activation_tree, loss_tree, minus
from .records import StepRecords, source_name


def net_forms(step: int, rec: StepRecords, q, sample: int, values: Mapping) -> list[Expr]:
    """net_j = Σ_i w_ij·out_i + b_j (after the update: every weight, bias and output with +)."""
    f = rec.forward.get((q.subject, sample))
    if f is None:
        return []
    tag, plus = rec.tag(sample), "+" if q.plus else ""
    items: list[Expr] = []
    for t in f.terms:
        source = source_name(t.source)
        given = t.source.startswith("i") or t.source in rec.trace.input_names  # (h_0: an input, never updated)
        source = source + tag if given else f"{source}{plus}{tag}"
        items.append(Mul((Var(t.weight + plus, step), Var(source, step))))
    if f.bias is not None:
        items.append(Var(f.bias + plus, step))
    return [Add(tuple(items))] if items else []


def out_forms(step: int, rec: StepRecords, q, sample: int, values: Mapping) -> list[Expr]:
    """out_j = f(net_j); softmax: e^net_j / Σe^net (its named lines where the step has them)."""
    f = rec.forward.get((q.subject, sample))
    if f is None:
        return []
    tag, plus = rec.tag(sample), "+" if q.plus else ""
    net = Var(f"net_{q.subject}{plus}{tag}", step)
    tree = activation_tree(f.activation, net)
    if tree is None and f.activation == "softmax":
        if not plus and (step, f"Σe^net{tag}") in values:
            tree = Div(Var(f"e^net_{q.subject}{tag}", step), Var(f"Σe^net{tag}", step))
        else:
            exps = tuple(Call("exp", (Var(f"net_{n}{plus}{tag}", step),)) for n in rec.layer_of(q.subject))
            tree = Div(Call("exp", (net,)), Add(exps))
    return [tree] if tree is not None else []


def exp_forms(step: int, rec: StepRecords, q, sample: int, values: Mapping) -> list[Expr]:
    """e^net_j of a softmax output."""
    return [Call("exp", (Var(f"net_{q.subject}{rec.tag(sample)}", step),))]


def exp_sum_forms(step: int, rec: StepRecords, q, sample: int, values: Mapping) -> list[Expr]:
    """Σe^net = Σ_k e^net_k over the softmax output layer."""
    tag = rec.tag(sample)
    last = rec.trace.samples[0].forward[-1].neuron
    return [Add(tuple(Var(f"e^net_{n}{tag}", step) for n in rec.layer_of(last)))]


def raw_error_forms(step: int, rec: StepRecords, q, sample: int, values: Mapping) -> list[Expr]:
    """e_o = out_o - target_o."""
    tag = rec.tag(sample)
    return [minus(Var(f"out_{q.subject}{tag}", step), Var(f"target_{q.subject}{tag}", step))]


def error_forms(step: int, rec: StepRecords, q, sample: int, values: Mapping) -> list[Expr]:
    """E_o = the loss term of target_o and out_o (after the update: of out_o+)."""
    e = rec.errors.get((q.subject, sample))
    if e is None:
        return []
    tag, plus = rec.tag(sample), "+" if q.plus else ""
    tree = loss_tree(rec.trace.conventions.loss, Var(f"target_{q.subject}{tag}", step),
                     Var(f"out_{q.subject}{plus}{tag}", step), len(rec.samples[sample].errors))
    return [tree] if tree is not None else []


def loss_forms(step: int, rec: StepRecords, plus: bool, sample: int | None, values: Mapping) -> list[Expr]:
    """E_total of a sample (Σ_j E_oj), of the step (a batch: Σ or mean of its samples'), or after
    the update (E_total+: of the E_oj+, over the step's samples)."""
    samples = [rec.samples[sample]] if sample is not None else list(rec.samples.values())
    mark = "+" if plus else ""
    per_sample: list[Expr] = []
    for s in samples:
        tag = rec.tag(s.index)
        if rec.batch and sample is None:
            per_sample.append(Var(f"E_total{mark}{tag}", step))
        else:
            terms = [Var(f"E_{e.neuron}{mark}{tag}", step) for e in s.errors]
            if plus and any((step, v.name) not in values for v in terms):
                return []
            per_sample.append(Add(tuple(terms)))
    total = per_sample[0] if len(per_sample) == 1 else Add(tuple(per_sample))
    if sample is None and len(samples) > 1 and rec.trace.conventions.mode == "batch-mean":
        total = Div(total, Const(float(len(samples)), "n"))
    return [total]


FORWARD = {"net": net_forms, "out": out_forms, "exp": exp_forms, "exp_sum": exp_sum_forms,
           "raw_error": raw_error_forms, "error": error_forms}
