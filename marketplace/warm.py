"""Warming a process up before it serves: what each process (or each fork of it) would
otherwise do during its first requests or jobs."""

from __future__ import annotations

from flask import Flask


def warm_up(app: Flask) -> None:
    """Do before the first request what each process would otherwise do during its first
    requests: configure the ORM mappers, compile every template (about 0.2 s) and import
    the libraries the code imports on first use (:func:`import_deferred_libraries`).

    ``app.py`` calls it; under ``gunicorn --preload`` it runs once in the master, so every
    forked worker starts warm (measured: the first login of a worker 72 -> 55 ms, its first
    pages about 20 ms faster). ``flask rq worker`` calls it too: each job runs in a fork.
    """
    from sqlalchemy.orm import configure_mappers

    from marketplace import templating

    configure_mappers()
    templating.compile_all(app)
    import_deferred_libraries()


def import_deferred_libraries() -> None:
    """Import the libraries that modules import inside the function using them, so that a
    ``flask`` command does not pay for them at start-up (about 0.4 s; each module says
    why). A long-lived process that forks (gunicorn, the RQ worker) loads them once."""
    import geopy.distance  # noqa: F401 - marketplace.geo
    import icalendar  # noqa: F401 - marketplace.matches.calendar, invitations
    import phonenumbers  # noqa: F401 - marketplace.phones
    import redis  # noqa: F401 - marketplace.outbox, indicators.cache, pages, rounds
    import rq  # noqa: F401 - marketplace.outbox, rounds.region
    import scipy.sparse.csgraph  # noqa: F401 - matching.solver
    import scipy.spatial  # noqa: F401 - matching.region_duals
    import xlsxwriter  # noqa: F401 - marketplace.indicators.exports
