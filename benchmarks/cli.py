"""``gameday --help`` beside ``python -c "import click"``, measured in the same run.

Each sample is a fresh process (imports count, as they do for a user), the two kinds
interleaved so machine noise hits both alike; the medians and their ratio are
printed. Subcommands load lazily, so the help should cost little more than click
itself (target: within 2x). ``--command`` times another argument list the same way,
e.g. ``--command oncall --help``.

    python benchmarks/cli.py [--repeats 15] [--command run --help]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 2.0


def _gameday(args: list[str]) -> list[str]:
    """The installed ``gameday`` script, or the same entry point through this Python."""
    script = Path(sys.executable).with_name("gameday")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "from tui.cli.main import main; main()", *args]


def _seconds(argv: list[str]) -> float:
    """Wall time of one process, start to exit."""
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--command", nargs=argparse.REMAINDER, default=["--help"])
    args = parser.parse_args()
    gameday_argv = _gameday(args.command)
    click_argv = [sys.executable, "-c", "import click"]
    _seconds(gameday_argv), _seconds(click_argv)  # warm the file cache first
    gameday, bare = [], []
    for _ in range(args.repeats):
        gameday.append(_seconds(gameday_argv))
        bare.append(_seconds(click_argv))
    g, b = statistics.median(gameday), statistics.median(bare)
    shown = " ".join(["gameday", *args.command])
    verdict = "ok" if g / b <= TARGET else "OVER TARGET"
    print(
        f"{shown:<24} {g * 1000:7.0f} ms   python -c 'import click' {b * 1000:7.0f} ms   "
        f"ratio {g / b:.2f}x (target <= {TARGET:g}x: {verdict}; median of {args.repeats})"
    )


if __name__ == "__main__":
    main()
