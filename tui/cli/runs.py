"""Options and plumbing shared by ``gameday check`` and ``gameday oncall sweep``.

Where the runs execute (``--workers`` / ``--cluster``) and the progress bar, which is
drawn on stderr only when stderr is a terminal, so CI logs and ``--json`` output stay
clean.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def executor_options(func: F) -> F:
    """``--workers N`` and ``--cluster tcp://HOST:PORT``."""
    func = click.option(
        "--cluster",
        metavar="tcp://HOST:PORT",
        help="Run on this Dask scheduler (needs: pip install 'gameday[cluster]').",
    )(func)
    func = click.option(
        "--workers",
        type=click.IntRange(1, 256),
        help="Local worker processes [default: all cores].",
    )(func)
    return func


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress callback drawing a bar on stderr, or None when stderr is not a terminal."""
    if not sys.stderr.isatty() or total <= 1:
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update
