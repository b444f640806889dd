"""On-call schedules and escalation policies: format, rendering, dry runs and policy tests.

Modules, one concept each: ``model`` (the YAML format), ``loader`` (reading and
checking it), ``schedule`` (rendering who is on call), ``policy`` (walking an
escalation under each system's semantics), ``paging`` (the dry-run API the drill
engine calls), ``responders``, ``alertmanager`` (native routing and grouping),
``streams`` (alert streams), ``simulate`` (one SimPy run), ``testrun`` (many runs
over worker processes), ``coverage``, ``thresholds``, ``report`` and ``importers``.
"""
