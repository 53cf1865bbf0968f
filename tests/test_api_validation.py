"""The Python API (neurosim/__init__.py) refuses what it cannot use at once, in one NeurosimError
naming the field: records and configurations at construction (Conventions, RuleConfig, Arithmetic,
Network, Layer), trace_step's and render_step's arguments; an input that is not a number is named,
not blamed on its size; a step that fails leaves the network and its learning rule as they were."""

import inspect
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neurosim
from neurosim import (
    RULE_NAMES,
    Arithmetic,
    Conventions,
    Layer,
    Network,
    NeurosimError,
    RuleConfig,
    TrainingDiverged,
    build_network,
    evaluate,
    fast_step,
    get_activation,
    get_loss,
    load_spec,
    render_step,
    rule_config,
    spec_from_dict,
    step_tables,
    trace_step,
)
from neurosim.core.step import StepHooks
from neurosim.scenarios import scenario_dict

MAZUR = {"w1": 0.15, "w2": 0.2, "w3": 0.25, "w4": 0.3, "w5": 0.4, "w6": 0.45, "w7": 0.5, "w8": 0.55,
         "b1": 0.35, "b2": 0.60}
SAMPLE = [((0.05, 0.10), (0.01, 0.99))]


def mazur():
    return build_network([2, 2, 2], "sigmoid", MAZUR)


def bits(network):
    """Every parameter's exact bits (repr round-trips a float; -0.0 and nan spelled as they are)."""
    return {name: repr(value) for name, value in network.parameters().items()}


@pytest.mark.parametrize("field, value, said", [
    ("update_biases", "no", "update_biases: expected true or false, got 'no'"),
    ("update_biases", 0, "update_biases: expected true or false"),
    ("arithmetic", "float32", "arithmetic: expected an Arithmetic"),
    ("rule", "adam", "rule: expected a learning rule made by rule_config"),
    ("loss", 3, "loss: expected a loss name"),
    ("order", ["sequential"], "order: unknown value ['sequential'] (choose from simultaneous, sequential)"),
    ("learning_rate", "0.5", "learning_rate: must be a positive finite number"),
    ("bptt", 1.5, "bptt: must be a whole number"),
])
def test_conventions_refuse_a_wrong_value_at_construction(field, value, said):
    with pytest.raises(NeurosimError) as caught:
        Conventions(**{field: value})
    assert said in str(caught.value)


@pytest.mark.parametrize("make, said", [
    (lambda: RuleConfig("nope"), "name: unknown rule 'nope'"),
    (lambda: RuleConfig("adam", params=5), "params: expected (name, value) pairs"),
    (lambda: RuleConfig("adam", params=(("zz", 1),)), "zz: adam takes no parameter 'zz'"),
    (lambda: RuleConfig("momentum", state={"v_w5": 1}), "state: expected (name, value) pairs"),
    (lambda: rule_config("adam", 5), "params: expected a mapping"),
    (lambda: Arithmetic(round_to="3"), "round: expected a whole number of decimals or None, got '3'"),
    (lambda: Arithmetic(dtype=32), "dtype: expected a name, got 32"),
    (lambda: build_network([2, 2], 5, MAZUR), "activations: expected a name"),
    (lambda: build_network([2, 2], "sigmoid", rng=5), "rng: expected None or a NumPy Generator"),
    (lambda: build_network([2, 2], "sigmoid", {"w1": 1, "w2": 1, "b1": 0}, arithmetic="float32"),
     "arithmetic: expected None or an Arithmetic"),
    (lambda: Network("layers", [], [], "shared"), "layers: expected a list of layers"),
    (lambda: Layer(0, "input", [], None), "neurons: expected a list of neurons"),
    (lambda: Layer(1, "output", mazur().output_layer.neurons, "sigmoid"), "activation: expected None"),
])
def test_records_and_configurations_refuse_a_wrong_value_at_construction(make, said):
    with pytest.raises(NeurosimError) as caught:
        make()
    assert said in str(caught.value)


@pytest.mark.parametrize("sample, said", [
    (((math.nan, 0.1), (0.01, 0.99)), "data: sample 1: input i1 is nan, not a finite number"),
    (((0.05, math.inf), (0.01, 0.99)), "data: sample 1: input i2 is inf, not a finite number"),
    (((0.05, "0.1"), (0.01, 0.99)), "data: sample 1: input i2 is '0.1', not a finite number"),
    (((0.05, 0.1), (0.01, -math.inf)), "data: sample 1: the target of output o2 is -inf, not a finite number"),
    (((0.05,), (0.01, 0.99)), "data: sample 1 has 1 inputs, the network has 2"),
    (((0.05, 0.1, 0.2), (0.01,)), "data: sample 1 has 3 inputs, the network has 2"),
    ((0.05, 0.1), "samples: sample 1 is (0.05, 0.1), not an (inputs, targets) pair"),
])
def test_an_input_that_is_not_a_number_is_named_and_changes_nothing(sample, said):
    """A NaN input was 'the inputs are too large for these weights' and left every parameter NaN."""
    network = mazur()
    with pytest.raises(NeurosimError) as caught:
        trace_step(network, [sample], Conventions())
    assert str(caught.value) == said or said in str(caught.value)
    assert not isinstance(caught.value, TrainingDiverged)
    assert network.parameters() == MAZUR
    if isinstance(sample[0], tuple) and "0.1" in sample[0]:
        return  # (the fast step reads a number written as text, as the exercise files' reader does)
    with pytest.raises(NeurosimError) as caught:
        fast_step(network, [sample], Conventions())
    assert said in str(caught.value) and network.parameters() == MAZUR


class FailAt(StepHooks):
    """A step that fails part-way: at the hidden layer's first weight, after the output layer's
    parameters have been updated (the sequential order) and the learning rule has begun the step."""

    def dnet_dw(self, connection, sample):
        if connection.name == "w1":
            raise KeyboardInterrupt
        return super().dnet_dw(connection, sample)


@pytest.mark.parametrize("rule_name", RULE_NAMES)
def test_a_failed_step_leaves_every_parameter_and_the_rule_bit_identical(rule_name):
    conventions = Conventions(order="sequential", rule=rule_config(rule_name), update_biases=True)
    network, rule = mazur(), conventions.make_rule()
    trace_step(network, SAMPLE, conventions, rule=rule)  # some state to keep
    params, state, t = bits(network), repr(rule.state), rule.t
    with pytest.raises(KeyboardInterrupt):
        trace_step(network, SAMPLE, conventions, step=2, rule=rule, hooks=FailAt())
    assert bits(network) == params and repr(rule.state) == state and rule.t == t
    # and the next step is the one that the failed step would have been
    twin, twin_rule = mazur(), conventions.make_rule()
    trace_step(twin, SAMPLE, conventions, rule=twin_rule)
    after = trace_step(network, SAMPLE, conventions, step=2, rule=rule)
    assert after == trace_step(twin, SAMPLE, conventions, step=2, rule=twin_rule)
    assert bits(network) == bits(twin)


def test_a_step_that_overflows_leaves_the_network_as_it_was():
    """The update w+ = w - η·dE/dw overflows (η = 1e308): every parameter is put back."""
    network = mazur()
    with pytest.raises(TrainingDiverged):
        trace_step(network, [((0.05, 0.10), (100.0, 100.0))], Conventions(learning_rate=1e308))
    assert bits(network) == bits(mazur())


@pytest.mark.parametrize("fmt", ["pdf", 3, None, "GITHUB"])
def test_render_step_names_an_unknown_format(fmt):
    trace = trace_step(mazur(), SAMPLE, Conventions())
    with pytest.raises(NeurosimError) as caught:
        render_step(trace, fmt)
    assert str(caught.value) == (f"format: unknown '{fmt}' (choose from plain, github, latex, html, csv, json, "
                                 f"jsonl)")


# -- every public function, each argument wrong in turn ----------------------------------------------

def _trace():
    return trace_step(mazur(), SAMPLE, Conventions())


# (function, valid keyword arguments, the names a message about each argument may use for it)
CALLS = {
    "build_network": (build_network, lambda: {"sizes": [2, 2, 2], "activations": "sigmoid", "parameters": MAZUR},
                      {"sizes": ("layers", "weights", "biases"), "parameters": ("parameters", "weights", "biases"),
                       "activations": ("activation",), "bias_mode": ("bias",)}),
    "trace_step": (trace_step, lambda: {"network": mazur(), "samples": SAMPLE, "conventions": Conventions()},
                   {"samples": ("samples", "data", "mode")}),
    "fast_step": (fast_step, lambda: {"network": mazur(), "samples": SAMPLE, "conventions": Conventions()},
                  {"samples": ("samples", "data", "mode")}),
    "evaluate": (evaluate, lambda: {"network": mazur(), "inputs": (0.05, 0.10)},
                 {"inputs": ("samples", "input", "data")}),
    "render_step": (render_step, lambda: {"trace": _trace()}, {"fmt_name": ("format",)}),
    "step_tables": (step_tables, lambda: {"trace": _trace()}, {}),
    "Conventions": (Conventions, dict, {"rule": ("rule",), "loss": ("loss",)}),
    "Arithmetic": (Arithmetic, dict, {"round_to": ("round",), "habit": ("rounding",)}),
    "RuleConfig": (RuleConfig, dict, {}),
    "rule_config": (rule_config, lambda: {"name": "momentum"}, {"params": ("params", "parameter"),
                                                                 "state": ("state",)}),
    "get_activation": (get_activation, lambda: {"name": "sigmoid"}, {"name": ("activation",)}),
    "get_loss": (get_loss, lambda: {"name": "mse"}, {"name": ("loss",)}),
    "load_spec": (load_spec, lambda: {"path": "nowhere.toml"},
                  {"path": ("path", "nowhere", "no such file", "directory")}),
    "spec_from_dict": (spec_from_dict, lambda: {"data": scenario_dict("mazur")},
                       {"data": ("",), "published_training": ("published", "training")}),
}
SKIPPED = {"wraps", "hooks", "keep", "store", "wanted", "kwargs"}  # callables the engine calls; not data
WRONG = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**6), st.floats(allow_nan=True),
                  st.text(max_size=4), st.lists(st.integers(-2, 3), max_size=3),
                  st.dictionaries(st.text(max_size=2), st.integers(), max_size=2), st.just(object()))


def test_every_public_function_is_fuzzed():
    functions = {name for name in neurosim.__all__ if inspect.isfunction(getattr(neurosim, name))}
    assert functions - set(CALLS) == set()


@pytest.mark.parametrize("name", sorted(CALLS))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_wrong_argument_is_one_neurosim_error_naming_it(name, data):
    function, valid, aliases = CALLS[name]
    parameters = [p for p in inspect.signature(function).parameters.values() if p.name not in SKIPPED]
    parameter = data.draw(st.sampled_from(parameters))
    arguments = valid()
    arguments[parameter.name] = data.draw(WRONG)
    try:
        function(**arguments)
    except NeurosimError as error:
        names = aliases.get(parameter.name, (parameter.name,))
        assert any(n in str(error) for n in names), (parameter.name, str(error))


def test_a_step_of_a_network_built_in_python_is_headed_by_its_step_not_an_empty_title():
    trace = trace_step(build_network([2, 2, 2], "sigmoid", MAZUR), SAMPLE,
                       Conventions(learning_rate=0.5, update_biases=False))
    first = render_step(trace).splitlines()[0]
    assert first.startswith("Step 1: 2-2-2 network (sigmoid/sigmoid); loss half_sse"), first
    titled = trace_step(build_network([2, 2, 2], "sigmoid", MAZUR), SAMPLE,
                        Conventions(learning_rate=0.5, update_biases=False), title="Mazur")
    assert render_step(titled).splitlines()[0].startswith("Mazur — step 1: 2-2-2 network")
