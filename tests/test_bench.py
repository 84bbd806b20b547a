"""The bench scripts' building blocks, in tiny configurations. Nothing here times anything."""

from __future__ import annotations

from flask.testing import FlaskClient
from latency import Throughput, percentile
from load_generator import lua_script
from signed_calls import line_env, load_line_content, tree_requests

from ivr.app import create_app


def line_client() -> FlaskClient:
    app = create_app(line_env())
    app.config["TESTING"] = True
    return app.test_client()


def test_percentile_is_nearest_rank() -> None:
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 99) == 5.0
    assert percentile(values, 0) == 1.0
    assert percentile([], 50) == 0.0


def test_throughput_counts_requests_per_second() -> None:
    run = Throughput.from_samples([0.001, 0.002, 0.003, 0.004], errors=0, seconds=2.0)
    assert run.per_second == 2.0
    assert (run.p50_ms, run.max_ms) == (2.0, 4.0)


def test_every_signed_request_is_accepted_by_the_line() -> None:
    content = load_line_content()
    requests = tree_requests(content)
    # the welcome, and both answers at every question on the way to an offering
    assert len({(r.url, r.body) for r in requests}) == 2 * len(content.tree.paths()) - 1
    client = line_client()
    for r in requests:
        reply = client.post(
            r.url,
            data=r.body,
            base_url="http://127.0.0.1:8000",
            content_type="application/x-www-form-urlencoded",
            headers={"X-Twilio-Signature": r.signature},
        )
        assert reply.status_code == 200, r.url
        assert b"<Response>" in reply.data
        assert "Sorry" not in reply.get_data(as_text=True), r.url


def test_wrk_script_replays_every_request() -> None:
    requests = tree_requests(load_line_content())[:3]
    script = lua_script(requests)
    for r in requests:
        assert f'"{r.url}", "{r.body}", "{r.signature}"' in script
