"""The rows of ``scripts/bench``: each measures one figure of ours next to a baseline.

Every row module has an ``async``-free entry point ``measure(options) -> list[Row]`` that runs its
own event loop (or process), so one row cannot distort another's clock. ``main.py`` runs them in
order and prints one table or, with ``--json``, one object.
"""
