"""The ``gameday`` command line: one module per subcommand group, loaded on demand.

:mod:`~tui.cli.main` is the click group; it names every subcommand by
``"module:attribute"`` and imports a module only when its command runs (or its own
``--help`` is asked for), so ``gameday --help`` costs little more than importing click.
Commands are thin: parse the options, call one function of the core, print.

May use: click, ``simulator``, ``scoring``, and (inside the commands that open a
console) :mod:`tui.app` and :mod:`tui.team`. Nothing else in ``tui`` imports the CLI.
"""
