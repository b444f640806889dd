"""The ``gameday`` command: the front door to every use of the engine."""

from __future__ import annotations

import click

from tui.errors import GamedayGroup


@click.group(cls=GamedayGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gameday", prog_name="gameday")
def main() -> None:
    """gameday: incident drills for SRE teams.

    Play a drill in the terminal (`gameday play`), run one headless (`gameday run`),
    score it and write a practice postmortem (`gameday score`, `gameday postmortem`),
    or test an on-call schedule and escalation policy (`gameday oncall test`).
    """


# Subcommands living in their own modules register themselves here.
from tui.headless import list_scenarios, run, schema, validate  # noqa: E402

for _command in (list_scenarios, validate, schema, run):
    main.add_command(_command)

from tui.play_cli import play, replay  # noqa: E402

main.add_command(play)
main.add_command(replay)

from tui.team_cli import host, join  # noqa: E402

main.add_command(host)
main.add_command(join)

from tui.scoring_cli import postmortem, score  # noqa: E402

main.add_command(score)
main.add_command(postmortem)

from tui.oncall_cli import oncall  # noqa: E402

main.add_command(oncall)

from tui.check_cli import check  # noqa: E402

main.add_command(check)
