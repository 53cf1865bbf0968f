"""Catalog entries for the learning rules (mistakes.py includes them in CATALOG): the published
forms mixed up (the other momentum form, the buffer started at 0 instead of at the gradient, bias
correction forgotten, ε in the other place, weight decay coupled instead of decoupled or on the
biases, the tolerance or flat spot ignored) and the slips made by hand (β1 and β2 swapped, the
timestep off by one, a moment or buffer not carried over, AMSGrad's max confused with Adam's v,
dampening ignored, μ and η swapped). An entry applies only to an exercise whose rule it can
change, and only where the change can move a number.

Most entries change the rule's parameters; the slips that no parameter describes change the rule's
class (`RuleConfig.wraps`): a subclass that uses t ± 1 in the bias correction, or forgets the state
of the step before.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from ..core.exercise import Spec
from ..core.rules import RuleConfig, rule_config
from ..errors import NeurosimError
from ..messages import N_


def _rule(v) -> RuleConfig:
    return v.conventions.rule


def _changed(v, config: RuleConfig | None, **conventions):
    """The variant with the rule `config` (None: no such variant), or None if nothing changes."""
    if config is None or (config == _rule(v) and not conventions):
        return None
    return v.with_conventions(rule=config, **conventions)


def _params(v, **changes) -> RuleConfig | None:
    try:
        return _rule(v).with_params(**changes)
    except NeurosimError:
        return None


def _wrapped(v, wrap) -> RuleConfig:
    return attrs.evolve(_rule(v), wraps=_rule(v).wraps + (wrap,))


# -- slips that no parameter describes: the rule's class changed ---------------------------------
def _timestep(offset: int) -> Callable:
    def wrap(cls):
        class OffByOne(cls):
            def factors(self):  # the bias correction with t + offset (never below 1)
                t = self.t
                self.t = max(t + offset, 1)
                try:
                    return super().factors()
                finally:
                    self.t = t
        OffByOne.__name__ = cls.__name__
        return OffByOne
    return wrap


_T_PLUS_ONE, _T_MINUS_ONE = _timestep(1), _timestep(-1)


def _forgetful(cls):
    class Forgetful(cls):
        def previous(self, p):  # every step starts from the state before step 1
            return self.start(p)
    Forgetful.__name__ = cls.__name__
    return Forgetful


# -- when an entry applies ----------------------------------------------------------------------------
def _is(v, *names: str) -> bool:
    return _rule(v).name in names


def _momentum_form(form: str):
    def apply(v, s: Spec):
        rule = _rule(v)
        if not _is(v, "momentum") or rule.get("form") == form:
            return None
        takes_start = form in ("before-lr", "normalized")
        return _changed(v, _params(v, form=form, dampening=None if form != "before-lr" else rule.get("dampening"),
                                   buffer_start=rule.get("buffer_start") if takes_start else None))
    return apply


def _buffer_start(v, s: Spec):
    rule = _rule(v)
    if not _is(v, "momentum") or rule.get("form") not in ("before-lr", "normalized"):
        return None
    if rule.get("form") == "before-lr" and not rule.get("dampening"):
        return None  # μ·0 + g = g: the start cannot show
    default = "gradient" if rule.get("form") == "before-lr" else "zero"
    other = "zero" if (rule.get("buffer_start") or default) == "gradient" else "gradient"
    return _changed(v, _params(v, buffer_start=other))


def _decay(v, s: Spec, to: str):
    rule = _rule(v)
    if not rule.get("weight_decay"):
        return None
    if _is(v, "adamw") and to == "coupled":
        params = {k: val for k, val in rule.params}
        params.update(weight_decay=rule.get("weight_decay"), decay="coupled")
        return _changed(v, attrs.evolve(rule_config("adam", params), wraps=rule.wraps))
    if _is(v, "sgd", "momentum", "nesterov", "adam") and rule.get("decay") != to:
        return _changed(v, _params(v, decay=to))
    return None


def _decay_biases(v, s: Spec, on: bool):
    rule = _rule(v)
    has = any(p.name == "decay_biases" for p in rule.rule_class.PARAMS)
    if not has or not rule.get("weight_decay") or rule.get("decay_biases") == on or s.bias == "none" \
            or not v.conventions.update_biases:
        return None
    return _changed(v, _params(v, decay_biases=on))


def _other_momentum(v, s: Spec, to: str):
    """Nesterov's look-ahead left out (classical momentum in PyTorch's form), or taken where the
    exercise's momentum is classical (PyTorch's before-lr form)."""
    rule = _rule(v)
    if to == "momentum" and _is(v, "nesterov"):
        params = {"momentum": rule.get("momentum"), "form": "before-lr", "weight_decay": rule.get("weight_decay"),
                  "decay": rule.get("decay"), "decay_biases": rule.get("decay_biases")}
    elif to == "nesterov" and _is(v, "momentum") and rule.get("form") == "before-lr" and rule.get("momentum") \
            and not rule.get("dampening"):
        params = {"momentum": rule.get("momentum"), "weight_decay": rule.get("weight_decay"),
                  "decay": rule.get("decay"), "decay_biases": rule.get("decay_biases")}
    else:
        return None
    try:
        return _changed(v, attrs.evolve(rule_config(to, params), state=rule.state, wraps=rule.wraps))
    except NeurosimError:
        return None


def _swap_lr_momentum(v, s: Spec):
    rule, lr = _rule(v), v.conventions.learning_rate
    if not _is(v, "momentum", "nesterov") or not rule.get("momentum") or lr >= 1 or lr == rule.get("momentum"):
        return None
    return _changed(v, _params(v, momentum=lr), learning_rate=rule.get("momentum"))


def _carries(v, s: Spec) -> bool:
    """The rule keeps state from step to step, and the exercise reaches a second step (or starts
    from a given state)."""
    return (_is(v, "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad", "rprop", "quickprop")
            and (s.steps >= 2 or bool(_rule(v).state)))


def _adam(v) -> bool:
    return _is(v, "adam", "adamw")


ENTRIES = (  # (id, explanation, group, apply(variant, spec) → variant | None)
    *((f"momentum-{form}", explanation, "momentum-form", _momentum_form(form))
      for form, explanation in (
          ("after-lr", N_("momentum computed in the after-lr form (Rumelhart et al., SNNS: Δw = -η·dE/dw + "
                          "α·Δw(t-1))")),
          ("before-lr", N_("momentum computed in the before-lr form (PyTorch: v = μ·v + dE/dw, Δw = -η·v)")),
          ("normalized", N_("momentum computed in the normalized form (an exponential average: v = (1-μ)·dE/dw + "
                            "μ·v)")),
          ("gradient-only", N_("momentum computed in the gradient-only form (α times the previous -η·dE/dw added, "
                               "not the previous change)")))),
    ("nesterov-as-classical", N_("Nesterov's look-ahead left out: classical momentum (Δw = -η·v) where the exercise "
                                 "takes Δw = -η·(dE/dw + μ·v)"), "momentum-kind", lambda v, s: _other_momentum(
        v, s, "momentum")),
    ("classical-as-nesterov", N_("Nesterov's look-ahead taken (Δw = -η·(dE/dw + μ·v)) where the exercise's momentum "
                                 "is classical (Δw = -η·v)"), "momentum-kind", lambda v, s: _other_momentum(
        v, s, "nesterov")),
    ("buffer-start", N_("the momentum buffer started at 0 instead of at the first gradient, or the reverse"),
     "buffer-start", _buffer_start),
    ("dampening-ignored", N_("PyTorch's dampening left out: v = μ·v + dE/dw instead of μ·v + (1-τ)·dE/dw"), "dampening",
     lambda v, s: _changed(v, _params(v, dampening=0.0)) if _is(v, "momentum") and _rule(v).get("dampening")
     else None),
    ("momentum-lr-swapped", N_("the momentum μ and the learning rate η swapped"), "learning-rate", _swap_lr_momentum),
    ("no-bias-correction", N_("Adam's bias correction forgotten: m and v used for mhat and vhat"), "bias-correction",
     lambda v, s: _changed(v, _params(v, bias_correction=False)) if _adam(v) and _rule(v).get("bias_correction")
     else None),
    ("bias-correction-added", N_("a bias correction m/(1-β1^t), v/(1-β2^t) the exercise's Adam does not make"),
     "bias-correction", lambda v, s: _changed(v, _params(v, bias_correction=True))
     if _adam(v) and not _rule(v).get("bias_correction") else None),
    ("eps-other-place", N_("ε added in the other place: to √v before the bias correction (TensorFlow's form) "
                           "instead of to √vhat, or the reverse"), "eps-form", lambda v, s: _changed(v, _params(
         v, eps_form="uncorrected" if _rule(v).get("eps_form") == "corrected" else "corrected"))
     if _adam(v) and _rule(v).get("bias_correction") and _rule(v).get("eps") else None),
    ("betas-swapped", N_("β1 and β2 swapped"), "betas", lambda v, s: _changed(v, _params(
        v, betas=tuple(reversed(_rule(v).get("betas"))))) if _adam(v) else None),
    ("timestep-plus-one", N_("the timestep one too high in the bias correction (1 - β^(t+1))"), "timestep",
     lambda v, s: _changed(v, _wrapped(v, _T_PLUS_ONE)) if _adam(v) and _rule(v).get("bias_correction") else None),
    ("timestep-minus-one", N_("the timestep one too low in the bias correction (1 - β^(t-1)): not counted up after "
     "step 1"), "timestep",
     lambda v, s: _changed(v, _wrapped(v, _T_MINUS_ONE)) if _adam(v) and _rule(v).get("bias_correction")
     and s.steps >= 2 else None),
    ("state-not-carried", N_("a moment or buffer not carried over from the step before (started again from 0)"),
     "carry", lambda v, s: _changed(v, _wrapped(v, _forgetful)) if _carries(v, s) else None),
    ("amsgrad-confused", N_("AMSGrad's running max vmax confused with Adam's v (or the reverse)"), "amsgrad",
     lambda v, s: _changed(v, _params(v, amsgrad=not _rule(v).get("amsgrad"))) if _adam(v) else None),
    ("decay-coupled", N_("weight decay added to the gradient (coupled, L2) where the exercise takes it off the "
     "weight (decoupled)"), "decay", lambda v, s: _decay(v, s, "coupled")),
    ("decay-decoupled", N_("weight decay taken off the weight (decoupled) where the exercise adds it to the "
     "gradient (coupled, L2)"), "decay", lambda v, s: _decay(v, s, "decoupled")),
    ("decay-forgotten", N_("the weight decay left out"), "decay", lambda v, s: _changed(v, _params(v, weight_decay=0.0))
     if _rule(v).get_or("weight_decay", 0.0) else None),
    ("decay-on-biases", N_("the weight decay applied to the biases too"), "decay-biases",
     lambda v, s: _decay_biases(v, s, True)),
    ("decay-not-on-biases", N_("the weight decay left off the biases"), "decay-biases",
     lambda v, s: _decay_biases(v, s, False)),
    ("tolerance-ignored", N_("the error tolerance dmax ignored: every output sends back its error"), "tolerance",
     lambda v, s: v.with_conventions(tolerance=0.0) if v.conventions.tolerance else None),
    ("flat-spot-ignored", N_("the flat-spot term c left out of dout/dnet"), "flat-spot",
     lambda v, s: v.with_conventions(flat_spot=0.0) if v.conventions.flat_spot else None),
)
