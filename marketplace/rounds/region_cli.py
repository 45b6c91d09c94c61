"""``flask match run --region``: the whole installation's round in shards, with progress.

The shards go to the RQ workers when ``REDIS_URL`` is set (:mod:`marketplace.rounds.region`,
one job per shard and a merge job) and run one after the other in this process otherwise.
Prints the progress of every shard and the merged answer with its proven bound, and stores
it as a matching round the way the app's round does (:func:`region_rounds.store`, once).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import current_app

from marketplace import outbox
from marketplace.models import MatchingRound
from marketplace.rounds import region, region_rounds, services
from marketplace.transaction import commit
from matching.region import BlockResult, BlockTask, run_block, solve_region

Echo = Callable[[str], None]


def _in_process(echo: Echo) -> Callable[[Sequence[BlockTask]], list[BlockResult]]:
    def runner(tasks: Sequence[BlockTask]) -> list[BlockResult]:
        out = []
        for task in tasks:
            res = run_block(task)
            echo(f"Shard {task.index + 1}/{len(tasks)}: {task.requests.size} requests, "
                 f"{task.volunteers.size} volunteers, done in {res.seconds:.1f} s")
            out.append(res)
        return out

    return runner


def _reporter(echo: Echo) -> Callable[[dict[int, str]], None]:
    def report(progress: dict[int, str]) -> None:
        echo("Shards: " + ", ".join(f"{i + 1} {state}" for i, state in progress.items()))

    return report


def run_region(neighbourhood_id: int | None, shards: int, echo: Echo,
               dry_run: bool = False) -> MatchingRound:
    """Solve the open requests (of one neighbourhood, or all) in ``shards`` shards and store
    the answer as a matching round (a real one sends the proposals; ``dry_run`` only
    suggests). The round is committed as running first, so its page shows the shards.

    Coordinator-locked pairs stay as they are: their requests are left out and their
    volunteers' capacity shrinks by them.
    """
    matching_round = region_rounds.create_region_round(
        None, dry_run, shards, neighbourhood_id, queue=False
    )
    services.start(matching_round)
    prepared = region_rounds.prepare(matching_round)
    round_id = matching_round.id
    commit()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    retried: tuple[int, ...] = ()
    if app.config.get("REDIS_URL"):
        queue = outbox.get_queue(app, for_worker=True)
        name = region_rounds.run_id(round_id)
        run = region.enqueue(queue, prepared.problem, name, n_shards=shards)
        echo(f"{len(run.shards)} shard jobs on queue {queue.name!r}; waiting for the workers")
        res = region.wait(run, queue.connection, report=_reporter(echo))
        retried = tuple(i for i, n in region.attempts(queue.connection, name).items() if n > 1)
    else:
        res = solve_region(prepared.problem, n_shards=shards, runner=_in_process(echo))
    bound = 100 * res.gap_bound / res.total_cost if res.total_cost else 0.0
    echo(f"Region: {prepared.problem.n_requests} open requests, "
         f"{prepared.problem.n_volunteers} volunteers, "
         f"{res.n_matched} matched, total cost {res.total_cost:.1f}, proven within "
         f"{bound:.3f} % of the best possible")
    echo(f"Border pass: {res.border_rounds} round(s), {res.border_requests} requests"
         + ("; fallback: one solve of the whole region" if res.fallback else ""))
    if not region_rounds.store(round_id, prepared, res, retried):
        raise RuntimeError(f"round {round_id} was stored or ended by somebody else")
    commit()
    return services.get_round(round_id)
