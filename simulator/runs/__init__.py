"""Many runs: scenario checks and policy sweeps mapped over an executor.

A check or a sweep is a pure function of (input, seed), mapped over every input and
seed by a :class:`~simulator.executors.RunExecutor`: worker processes on this
machine by default, a Dask cluster when the user has one. Results are keyed by
(input, seed) and reduced in that order, so the same seeds give the same report,
byte for byte, on either executor.

What this package may use: the drill engine only through :mod:`simulator.runs.drill`
(one module, so a move of the engine is fixed in one place), the on-call tester
through its public functions, and nothing of ``scoring``: grades come in as a
function the caller passes (the CLI hands in :func:`scoring.check.grade_drill`).
"""
