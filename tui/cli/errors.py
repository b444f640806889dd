"""How the CLI reports bad input: one paragraph on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import difflib
import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from simulator.errors import InputError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_BAD_INPUT = 2


def report_input_error(err: InputError) -> None:
    """Print every problem of ``err``, one per line, prefixed so it is easy to spot."""
    for problem in err.problems:
        click.echo(f"gameday: error: {problem}", err=True)


def warn(message: object) -> None:
    """A warning on stderr: the input was used, but something in it was skipped or assumed."""
    click.echo(f"gameday: warning: {message}", err=True)


def notice(message: str) -> None:
    """What a command did that the user should know (a file moved aside): on stderr."""
    click.echo(f"gameday: {message}", err=True)


class GamedayGroup(click.Group):
    """A click group that turns :class:`InputError` into a clean message and exit 2."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """An unknown subcommand is a usage error that suggests the closest one."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            ctx.fail(f"No such command '{name}'.{hint} `{ctx.command_path} --help` lists them.")
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as err:
            report_input_error(err)
            sys.exit(EXIT_BAD_INPUT)
        except BrokenPipeError:
            # `gameday ... | head` closed the pipe: not an error worth a traceback.
            sys.stderr.close()
            sys.exit(0)


def input_errors_exit(func: F) -> F:
    """Decorator for code paths outside a GamedayGroup (tests, scripts)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as err:
            report_input_error(err)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper  # type: ignore[return-value]
