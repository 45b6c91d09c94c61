"""A region round over RQ, against a Redis of the test's own (which it stops mid-test): the
shard table while it runs, stored once when the merge job runs twice or a shard runs twice,
and the page when Redis is down. The jobs run in this process (``SimpleWorker``), where the
app and its in-memory database are; ``test_region_rq.py`` kills real worker processes."""

from __future__ import annotations

import uuid

import pytest
import redis
import sqlalchemy as sa
from rq import SimpleWorker

from marketplace import outbox
from marketplace.models import Match, MatchingRound, MatchStatus, Role, RoundStatus
from marketplace.rounds import region, region_rounds
from tests import factories
from tests.matches.helpers import make_volunteer, open_request
from tests.redis_server import RedisServer

QUEUE = f"hulppunt-region-{uuid.uuid4().hex[:12]}"
FORM = {"region-dry_run": "y"}


@pytest.fixture
def app_config(own_redis: RedisServer):
    return {"REDIS_URL": own_redis.url, "RQ_QUEUE": QUEUE}


def _up(server: RedisServer) -> bool:
    try:
        return bool(redis.Redis.from_url(server.url, socket_connect_timeout=0.2).ping())
    except redis.ConnectionError:
        return False


@pytest.fixture
def queue(app, own_redis: RedisServer):
    if not _up(own_redis):
        own_redis.start()
    found = outbox.get_queue(app)
    found.connection.flushdb()
    yield found
    if _up(own_redis):
        found.connection.flushdb()


def _work(queue, max_jobs: int | None = None) -> None:
    SimpleWorker([queue], connection=queue.connection).work(burst=True, max_jobs=max_jobs)


def _start(db, login):
    """A region round started from the page, with pairs spread over the city."""
    for pc4 in ("1211", "1212", "1213", "1221"):
        make_volunteer(pc4=pc4)
    for postcode in ("1211 AB", "1212 AB", "1213 AB", "1221 AB", "1222 AB"):
        open_request(postcode=postcode)
    db.session.commit()
    client = login(factories.user(Role.ADMIN))
    response = client.post("/matches/rounds/region", data=FORM)
    assert response.status_code == 303
    return client, response.location, db.session.scalar(sa.select(MatchingRound))


def _live(db) -> list[tuple[int, int]]:
    query = sa.select(Match.help_request_id, Match.volunteer_id).where(
        Match.status != MatchStatus.WITHDRAWN)
    return sorted(db.session.execute(query).all())


def test_the_page_shows_each_shard_while_the_workers_run_and_the_bound_after(db, login, queue):
    client, url, matching_round = _start(db, login)
    _work(queue, max_jobs=1)  # the outbox job: it reads the round and enqueues the shards
    db.session.expire_all()
    assert matching_round.status == RoundStatus.RUNNING
    name = region_rounds.run_id(matching_round.id)
    shards = len(region.progress(queue.connection, name))
    assert shards >= 2
    page = client.get(url).text
    assert 'http-equiv="refresh"' in page
    assert "De pagina ververst zichzelf." in page
    assert f'href="{url}"' in page  # refresh by hand
    assert page.count("<td>Wacht</td>") == shards
    _work(queue, max_jobs=1)  # one shard
    page = client.get(url).text
    assert page.count("Klaar in") == 1
    assert page.count("<td>Wacht</td>") == shards - 1
    _work(queue)  # the other shards and the merge, which stores the round
    db.session.expire_all()
    assert matching_round.status == RoundStatus.DONE
    page = client.get(url).text
    assert 'http-equiv="refresh"' not in page
    assert page.count("Klaar in") == shards
    assert "Over de hele regio heeft de computer nagerekend" in page
    assert matching_round.stats["matched"] == len(_live(db)) == 4


def test_a_merge_job_that_runs_twice_stores_the_round_once(db, login, queue):
    _client, _url, matching_round = _start(db, login)
    _work(queue)
    db.session.expire_all()
    assert matching_round.status == RoundStatus.DONE
    stored = _live(db)
    assert len(stored) == 4
    merge = queue.fetch_job(region.job_id(region_rounds.run_id(matching_round.id), "merge"))
    assert merge is not None
    assert merge.return_value() is True
    # RQ runs the merge job again (a retry, or a second worker after a lost heartbeat).
    again = queue.enqueue(merge.func, *merge.args, job_id="merge-again")
    _work(queue)
    assert again.get_status(refresh=True) == "finished"
    assert again.return_value() is False
    db.session.expire_all()
    assert _live(db) == stored
    assert db.session.scalar(sa.select(sa.func.count(Match.id))) == 4


def test_a_shard_that_runs_twice_still_stores_each_proposal_once(db, login, queue):
    client, url, matching_round = _start(db, login)
    _work(queue, max_jobs=1)
    name = region_rounds.run_id(matching_round.id)
    shard = queue.fetch_job(region.job_id(name, "shard-0"))
    assert shard is not None
    # A worker finished shard 0's work and died before RQ recorded it: RQ runs it again.
    shard.perform()
    _work(queue)
    assert region.attempts(queue.connection, name)[0] == 2
    db.session.expire_all()
    assert matching_round.status == RoundStatus.DONE
    pairs = _live(db)
    assert len(pairs) == len({request for request, _ in pairs}) == 4
    assert matching_round.stats["region"]["retried"] == [0]
    assert "opnieuw gestart" in client.get(url).text


def test_with_redis_down_the_page_says_progress_is_unknown(
        db, login, queue, own_redis: RedisServer):
    client, url, matching_round = _start(db, login)
    _work(queue, max_jobs=1)
    own_redis.stop()
    try:
        page = client.get(url)
    finally:
        own_redis.start()
    assert page.status_code == 200
    assert "De voortgang per deel is nu niet bekend" in page.text
    assert 'http-equiv="refresh"' in page.text


def test_a_shard_that_fails_twice_fails_the_round_and_the_page_stops_waiting(
        db, login, queue, monkeypatch):
    client, url, matching_round = _start(db, login)
    _work(queue, max_jobs=1)
    name = region_rounds.run_id(matching_round.id)

    def broken(task):
        raise RuntimeError("shard exploded")

    monkeypatch.setattr(region, "run_block", broken)
    _work(queue)  # every shard fails, is retried once (RQ's Retry) and fails again
    assert all(n == 2 for n in region.attempts(queue.connection, name).values())
    db.session.expire_all()
    assert matching_round.status == RoundStatus.FAILED
    assert "shard exploded" in matching_round.error
    page = client.get(url).text
    assert 'http-equiv="refresh"' not in page
    assert "Deze ronde is mislukt" in page
    assert "Mislukt" in page.split("Voortgang per deel")[1]
    assert _live(db) == []


def test_delivered_by_hand_while_redis_is_down_the_region_runs_there(
        app, db, login, queue, own_redis: RedisServer):
    own_redis.stop()
    try:
        _client, _url, matching_round = _start(db, login)
        assert matching_round.status == RoundStatus.QUEUED  # it waits in the outbox
        report = outbox.deliver_due()  # `flask outbox deliver` from cron
    finally:
        own_redis.start()
    assert report.done == 1
    db.session.expire_all()
    assert matching_round.status == RoundStatus.DONE
    assert len(_live(db)) == 4
