"""neurosim in a notebook: build a network, step it, look at the tables, check values.

Each `# %%` block is a notebook cell (Jupyter, VS Code and jupytext read them as cells); as a plain
script, `python scenarios/notebook_example.py` prints what the cells show. In Jupyter, a cell that
ends with `net` or `trace` shows it as HTML tables (their `_repr_html_`).
"""

# %% Build Mazur's 2-2-2 network by naming its weights and (shared) biases
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

from neurosim import Conventions, build_network, render_step, trace_step  # noqa: E402

net = build_network([2, 2, 2], "sigmoid", {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30,
                                           "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55,
                                           "b1": 0.35, "b2": 0.60})
print(repr(net))  # in Jupyter: `net` alone shows its layers and parameters as tables

# %% One training step: the trace holds every intermediate value
conventions = Conventions(loss="half_sse", learning_rate=0.5, update_biases=False)
before = net.copy()  # trace_step updates `net` in place
trace = trace_step(net, [((0.05, 0.10), (0.01, 0.99))], conventions)
print(repr(trace))  # one line; in Jupyter, `trace` alone shows the stage tables

# %% The tables, as text (render_step(trace, "html") is what the notebook shows)
print(render_step(trace))

# %% Check your own numbers: each judged at the precision you wrote it (strings keep trailing zeros)
from neurosim.check.catalog import diagnose  # noqa: E402
from neurosim.check.judge import check_values  # noqa: E402
from neurosim.check.parse import expected_from_options  # noqa: E402
from neurosim.scenarios import load_scenario  # noqa: E402

mazur = load_scenario("mazur")  # the same network, data and conventions as above
mine = expected_from_options(["out_o1=0.75136507", "dE/dw5=0.082167041", "w5+=0.35891648", "w1+=0.14978"])
report = check_values(mazur, mine)
print(repr(report))  # in Jupyter, `report` alone shows the verdict table
for row in report.rows:
    print(f"{row.expected.quantity:8} {row.expected.text:<12} {row.verdict.describe()}")

# %% A wrong value: which convention or mistake reproduces it? (w1+ worked through the new w5)
wrong = expected_from_options(["w5+=0.35891648", "w1+=0.149818"])
for explanation in diagnose(mazur, wrong).explanations:
    print(explanation.ids)  # sequential-update

# %% The network now holds the updated weights; save it, draw it (needs the `plot` extra)
print(before.parameters()["w5"], "->", net.parameters()["w5"])
# net.save("mazur_after_one_step.json")            # Network.load(...) reads it back bit for bit
# from neurosim.plot import network_diagram
# network_diagram(before, net)                      # a figure; Jupyter displays it
