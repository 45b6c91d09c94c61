"""``flask match run --region``: the whole installation's round in shards, with progress.

The shards go to the RQ workers when ``REDIS_URL`` is set (:mod:`marketplace.rounds.region`,
one job per shard and a merge job) and run one after the other in this process otherwise.
Prints the progress of every shard and the merged answer with its proven bound. It only
computes: storing the region's proposals as suggestions is left to the app's bulk round
(issue 18, first half), so nothing is written to the database.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from flask import current_app

from marketplace import outbox
from marketplace.matches.round_reads import collect_inputs
from marketplace.rounds import region
from matching.arrays import encode
from matching.region import BlockResult, BlockTask, RegionResult, run_block, solve_region

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


def run_region(neighbourhood_id: int | None, shards: int, echo: Echo) -> RegionResult:
    """Solve the open requests (of one neighbourhood, or all) in ``shards`` shards.

    Coordinator-locked pairs stay as they are: their requests are left out and their
    volunteers' capacity shrinks by them.
    """
    inputs = collect_inputs(neighbourhood_id)
    locked = {r for r, _ in inputs.locked}
    used: Counter[object] = Counter(v for _, v in inputs.locked)
    requests = [r for r in inputs.requests if r.id not in locked]
    volunteers = [replace(v, capacity=max(v.capacity - used[v.id], 0)) for v in inputs.volunteers]
    enc = encode(requests, volunteers, [(r, v) for r, v in inputs.forbidden if r not in locked])
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("REDIS_URL"):
        queue = outbox.get_queue(app, for_worker=True)
        run = region.enqueue(queue, enc.arrays, uuid.uuid4().hex, n_shards=shards)
        echo(f"{len(run.shards)} shard jobs on queue {queue.name!r}; waiting for the workers")
        res = region.wait(run, queue.connection, report=_reporter(echo))
    else:
        res = solve_region(enc.arrays, n_shards=shards, runner=_in_process(echo))
    bound = 100 * res.gap_bound / res.total_cost if res.total_cost else 0.0
    echo(f"Region: {len(requests)} open requests, {len(volunteers)} volunteers, "
         f"{res.n_matched} matched, total cost {res.total_cost:.1f}, proven within "
         f"{bound:.3f} % of the best possible")
    echo(f"Border pass: {res.border_rounds} round(s), {res.border_requests} requests"
         + ("; fallback: one solve of the whole region" if res.fallback else ""))
    echo("Nothing stored: the region's proposals are computed, not yet saved.")
    return res
