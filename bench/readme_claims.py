"""The README's "how long" sentences, measured (timings are measured here, never asserted in tests).

    python bench/readme_claims.py [ROUNDS]

Each command the README times is run as a user runs it (`python -m neurosim …`, a fresh process, in a
folder holding the checkout's docs/), alternately with `neurosim run mazur`, for ROUNDS rounds (5 by
default). Printed per command: the median wall time, the median CPU time of the process (user +
system, less sensitive to what else the machine runs), and the CPU time as a ratio to `run mazur`'s
in the same rounds, the figure the README gives beside the machine and the date.
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ("run mazur", ["run", "mazur"])
COMMANDS = [  # (label, arguments); grade reads the variants the row before writes
    ("run docs/large/mnist.toml (784-64-10)", ["run", "docs/large/mnist.toml"]),
    ("run docs/large/mnist.toml --only w5,delta_o1", ["run", "docs/large/mnist.toml", "--only", "w5,delta_o1"]),
    ("gradcheck docs/large/mnist.toml", ["gradcheck", "docs/large/mnist.toml"]),
    ("variants: 30 of the classroom template", ["variants", "docs/classroom/template.toml", "--count", "30",
                                                "--seed", "11", "-o", "variants", "--force"]),
    ("sheet variants --format html (30 sheets and keys)", ["sheet", "variants", "--format", "html", "-o", "sheets",
                                                           "--force"]),
    ("grade docs/classroom/answers.csv (a class of 30)", ["grade", "docs/classroom/answers.csv", "--variants",
                                                          "variants"]),
]


def measure(arguments: list[str], folder: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `python -m neurosim ARGUMENTS` in `folder`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "neurosim", *arguments], cwd=folder, capture_output=True,
                          text=True, env={**os.environ, "NEUROSIM_LANG": "en"})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"neurosim {' '.join(arguments)}: exit {done.returncode}\n{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(rounds: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "docs").symlink_to(ROOT / "docs", target_is_directory=True)
        times: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in [REFERENCE, *COMMANDS]}
        for _ in range(rounds):
            for label, arguments in [REFERENCE, *COMMANDS]:
                times[label].append(measure(arguments, folder))
        print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, {time.strftime('%Y-%m-%d %H:%M')}, "
              f"median of {rounds} alternating rounds")
        mazur_cpu = [cpu for _, cpu in times[REFERENCE[0]]]
        for label, rows in times.items():
            wall = statistics.median(w for w, _ in rows)
            cpu = statistics.median(c for _, c in rows)
            ratios = [c / m for (_, c), m in zip(rows, mazur_cpu)]
            print(f"{label:52s} wall {wall:6.2f} s   CPU {cpu:6.2f} s   {statistics.median(ratios):5.1f}× run mazur "
                  f"({min(ratios):.1f}–{max(ratios):.1f}×)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
