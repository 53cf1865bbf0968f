"""Learning rules: how a step turns dE/dw into w+ (plain gradient descent, momentum in its published
forms, Nesterov, Quickprop, Rprop, Adagrad, RMSprop, Adam, AdamW), each a small module with its
formula in the docstring, used by every engine.

    config.py   RuleConfig (the choice, part of the Conventions), rule_config (validation), rule_class
    base.py     Rule (per-parameter state, step count, weight decay), RuleQuantity (records)
    params.py   the parameters' checks
    sgd.py momentum.py nesterov.py quickprop.py rprop.py adagrad.py rmsprop.py adam.py   one rule each

Quantity names (`StepTrace.quantities()`, checks, [training.rule.state]): the weight change Δw5,
Δb1, Δb_h1 (every rule; for sgd Δw5 = -η·dE/dw5), and per rule, for a parameter p:
    sgd, momentum, nesterov, adagrad, rmsprop, adam:  grad_p = dE/dp + λ·p (coupled weight decay),
                                                      decay_p (decoupled weight decay)
    momentum, nesterov   v_p           the momentum buffer (after-lr form: the change itself)
    adagrad              G_p           the sum of squared gradients
    rmsprop              v_p, gbar_p, denom_p, buf_p   mean square, mean (centered), the divisor,
                                                       the momentum buffer
    adam, adamw          m_p, v_p, vmax_p (amsgrad), mhat_p, vhat_p
    rprop                sign_p, step_p, prev_p   the sign comparison, the step size, the gradient
                                                  remembered for the next comparison
    quickprop            slope_p                  S = dE/dp + λ·p
Carried from one step to the next (and settable before step 1): v, G, gbar, buf, m, vmax, step,
prev, slope, Δ; and the counters t (adam, adagrad) and E_total (rprop).
"""

from .base import CHANGE, Rule, RuleQuantity, split_state_name, state_name
from .config import RULE_NAMES, RuleConfig, rule_class, rule_config, state_parameters

__all__ = ["CHANGE", "RULE_NAMES", "Rule", "RuleConfig", "RuleQuantity", "rule_class", "rule_config",
           "split_state_name", "state_name", "state_parameters"]
