"""Start-up: each command imports only what it uses (issue 19). The import graph is checked, not a
timing (bench/run_all.py times start-up): `neurosim run mazur` loads the modules listed here and no
other command's, and `neurosim --version` loads no command and none of NumPy, attrs or tabulate."""

import subprocess
import sys

from neurosim.cli.main import COMMANDS, build_parser

LOADED = """
import io, sys
from neurosim.cli.main import main
try:
    main(sys.argv[1:], out=io.StringIO())
except SystemExit:
    pass
print(' '.join(sorted(sys.modules)))
"""

# What `neurosim run mazur` needs: the objects and the traced step (with the order of its updates), the
# exercise file (a dense network's: the [[network.layer]] reader loads for a file that has them), the runner,
# the stage tables, the published-figures check Mazur's file asks for, and run's own helpers; the
# saturation warning before step 1 (engines/saturation.py: a small network's on plain floats, without
# the matrix engine).
RUN_MAZUR = set("""
neurosim neurosim.check neurosim.check.published neurosim.check.verdict neurosim.cli neurosim.cli.common
neurosim.cli.formats neurosim.cli.main neurosim.cli.notes neurosim.cli.parser neurosim.cli.parser_language
neurosim.cli.progress neurosim.cli.published neurosim.cli.rule_options neurosim.cli.run neurosim.cli.run_data
neurosim.cli.sizes neurosim.core neurosim.core.activations neurosim.core.arithmetic neurosim.core.combined
neurosim.core.conventions neurosim.core.display neurosim.core.divergence neurosim.core.error_summaries
neurosim.core.evaluation neurosim.core.exercise neurosim.core.initialisation neurosim.core.layer
neurosim.core.lazy neurosim.core.losses neurosim.core.memory neurosim.core.names neurosim.core.netfile
neurosim.core.network neurosim.core.neuron neurosim.core.notation neurosim.core.notation.givens
neurosim.core.notation.namemap neurosim.core.notation.prefixes neurosim.core.notation.quantity
neurosim.core.notation.rules neurosim.core.notation.structure neurosim.core.notation.tables
neurosim.core.parameters neurosim.core.rules neurosim.core.rules.base neurosim.core.rules.config
neurosim.core.rules.params neurosim.core.rules.sgd neurosim.core.step neurosim.core.step_order
neurosim.core.step_records neurosim.core.trace neurosim.core.wanted neurosim.core.written neurosim.engines
neurosim.engines.batches neurosim.engines.list_forward neurosim.engines.neuron_loop
neurosim.engines.rule_update neurosim.engines.runner neurosim.engines.saturation neurosim.errors
neurosim.files neurosim.files.datafile neurosim.files.exercise neurosim.files.fields neurosim.files.figures
neurosim.files.givens neurosim.files.rules neurosim.files.sheet_keys neurosim.files.stream
neurosim.files.training neurosim.messages neurosim.outputs neurosim.scenarios neurosim.textfiles
neurosim.version neurosim.views neurosim.views.elide neurosim.views.extras neurosim.views.notation_text
neurosim.views.notation_view neurosim.views.numbers neurosim.views.report neurosim.views.rule_rows
neurosim.views.size neurosim.views.stage_tables neurosim.views.stages neurosim.views.tables
neurosim.views.text_table
""".split())

VERSION = {"neurosim", "neurosim.version", "neurosim.errors", "neurosim.messages", "neurosim.core",
           "neurosim.core.display", "neurosim.cli", "neurosim.cli.main", "neurosim.cli.parser",
           "neurosim.cli.parser_language"}


def loaded(*args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", LOADED, *args], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_run_mazur_imports_only_what_it_uses():
    everything = loaded("run", "mazur")
    modules = {m for m in everything if m.startswith("neurosim")}
    # Its tables are text laid out by views/text_table.py: tabulate and wcwidth, a quarter of the
    # start-up, load only for what text_table leaves to them (wide characters, multi-line cells).
    assert not {"tabulate", "wcwidth"} & everything
    extra = sorted(modules - RUN_MAZUR)
    assert not extra, (f"`neurosim run mazur` now imports {extra}: import a module where its command uses it "
                       "(inside the function that needs it), or list it in RUN_MAZUR if `run` needs it")
    assert "neurosim.cli.run" in modules  # (the listing is of a run that happened)
    others = [m for m in modules if m.startswith("neurosim.cli.") and m.rpartition(".")[2] in
              {module for module, _ in COMMANDS.values()} - {"run", "main"}]
    assert not others, f"`neurosim run` imports other commands: {others}"


def test_version_imports_no_command():
    modules = loaded("--version")
    assert {m for m in modules if m.startswith("neurosim")} <= VERSION
    assert not {"numpy", "attrs", "tabulate"} & modules


def test_the_command_table_is_the_commands_own():
    """main.COMMANDS lists each command's help line so that the other commands' modules need not be
    imported; it must say what the command's own add_parser says, in the same order."""
    full = build_parser("*")
    sub = next(a for a in full._actions if a.__class__.__name__ == "_SubParsersAction")
    assert [(a.dest, a.help) for a in sub._choices_actions] == [(name, help_line) for name, (_, help_line) in
                                                                 COMMANDS.items()]
    for command in (None, "run", "check"):
        assert build_parser(command).format_help() == full.format_help()


def test_a_public_name_loads_its_own_module_only():
    """`from neurosim import NeurosimError` loads no NumPy and no views; the views load when a
    notebook first shows a step (core/display.py's loader), not when a name is read."""
    code = ("import sys; from neurosim import NeurosimError, trace_step; "
            "print(' '.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = set(done.stdout.split())
    assert "neurosim.core.step" in modules
    assert not {m for m in modules if m.startswith("neurosim.views")}
    assert "tabulate" not in modules
