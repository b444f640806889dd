"""The ``gameday`` command: the front door to every use of the engine."""

from __future__ import annotations

import click

from tui.cli.errors import GamedayGroup


@click.group(cls=GamedayGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gameday", prog_name="gameday")
def main() -> None:
    """gameday: incident drills for SRE teams.

    Play a drill in the terminal (`gameday play`), run one headless (`gameday run`),
    score it and write a practice postmortem (`gameday score`, `gameday postmortem`),
    or test an on-call schedule and escalation policy (`gameday oncall test`).
    """


# Subcommands living in their own modules register themselves here.
from tui.cli.drills import list_scenarios, run, schema, validate  # noqa: E402

for _command in (list_scenarios, validate, schema, run):
    main.add_command(_command)

from tui.cli.play import play, replay  # noqa: E402

main.add_command(play)
main.add_command(replay)

from tui.cli.team import host, join  # noqa: E402

main.add_command(host)
main.add_command(join)

from tui.cli.scoring import postmortem, score  # noqa: E402

main.add_command(score)
main.add_command(postmortem)

from tui.cli.oncall import oncall  # noqa: E402

main.add_command(oncall)
