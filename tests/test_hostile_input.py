"""Input a new user or a hostile one gives (issue: hostile input): a Ctrl-C is never swallowed."""

import io
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import neurosim.cli.run as run_module
from neurosim.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


def run(argv):
    out = io.StringIO()
    return main(argv, out), out.getvalue()


def test_a_ctrl_c_while_the_commands_load_is_exit_130_and_one_line():
    # KeyboardInterrupt raised where importing numpy would be interrupted: before any command runs
    program = textwrap.dedent("""
        import sys

        class Interrupt:
            def find_spec(self, name, path=None, target=None):
                if name == "numpy":
                    raise KeyboardInterrupt
                return None

        sys.meta_path.insert(0, Interrupt())
        sys.argv = ["neurosim", "list"]
        from neurosim.__main__ import main  # the console script's entry point
        sys.exit(main())
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, cwd=ROOT)
    assert (result.returncode, result.stderr) == (130, "neurosim: interrupted\n")


def test_a_ctrl_c_after_the_last_step_is_not_swallowed(monkeypatch, capsys):
    shown = run_module.published_table

    def ctrl_c_while_printing(*args, **kwargs):
        signal.raise_signal(signal.SIGINT)  # as a terminal sends it, while the last tables are printed
        return shown(*args, **kwargs)

    monkeypatch.setattr(run_module, "published_table", ctrl_c_while_printing)
    code, out = run(["run", "mazur"])
    assert code == 130 and "w5" in out
    assert capsys.readouterr().err == "neurosim: interrupted after step 1 of 1 (shown above: the run so far)\n"
