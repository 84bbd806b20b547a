"""The bench scripts' building blocks, in tiny configurations. Nothing here times anything."""

from __future__ import annotations

import asyncio
import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import caller_time
import cold_start
import load
import pytest
import webhook
import webhook_parts
from async_http import parse_response
from flask.testing import FlaskClient
from latency import Throughput, percentile
from load_generator import lua_script, run_python
from signed_calls import line_env, load_line_content, tree_requests
from spoken_length import SpokenLength, estimate
from werkzeug.serving import make_server

from ivr.web.app import create_app


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


def test_caller_time_walks_every_path_to_its_offering() -> None:
    times = caller_time.measure()
    tree = load_line_content().tree
    assert {(p.path, p.offering) for p in times.paths} == set(tree.paths().items())
    assert all(p.before > times.welcome > 0 and p.length > 0 for p in times.paths)
    assert set(times.figures()) == set(caller_time.AIMS)


def test_spoken_length_prefers_rendered_audio(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps([{"text": "Tot ziens.", "file": "a1.mp3", "seconds": 1.5}]))
    lengths = SpokenLength.from_manifest(manifest)
    play = ET.fromstring("<Play>https://example.org/audio/a1.mp3</Play>")
    assert lengths.of_verb(play) == 1.5
    assert lengths.of_text("Tot ziens.") == 1.5
    assert lengths.of_text("een twee drie vier vijf") == estimate("een twee drie vier vijf") == 2.0
    assert lengths.source() == "2 from rendered audio, 1 estimated"


@pytest.fixture
def line_port() -> Iterator[int]:
    """The line on a real HTTP server in a thread (werkzeug's), for the load scripts' clients."""
    server = make_server("127.0.0.1", 0, create_app(line_env()), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.port
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_simulated_callers_reach_their_offerings(line_port: int) -> None:
    tally = asyncio.run(load.run_callers(line_port, callers=3, seconds=0.2, think=0.0))
    assert tally.calls >= 3
    assert tally.reached == tally.calls and tally.wrong == []
    assert set(tally.statuses) == {200}
    assert {"/voice", "/voice/answer", "/voice/menu"} <= set(tally.seconds)
    assert load.report(tally, 1.0)[0].startswith(f"calls {tally.calls}, reached")


def test_python_load_generator_replays_signed_requests(line_port: int) -> None:
    requests = tree_requests(load_line_content())
    webhook.check_answers(line_port, requests)
    run = run_python(line_port, requests, seconds=0.2, connections=2)
    assert run.requests > 0 and run.errors == 0


def test_http_response_is_split_into_status_and_body() -> None:
    assert parse_response(b"HTTP/1.1 403 FORBIDDEN\r\nA: b\r\n\r\n<x/>") == (403, b"<x/>")
    assert parse_response(b"") == (0, b"")


def test_cold_start_reaches_a_first_answer_under_gunicorn() -> None:
    assert cold_start.first_answer() > 0


def test_webhook_parts_runs_every_part_once() -> None:
    parts = webhook_parts.measure(n=1)
    assert list(parts) == [
        "bare Flask",
        "bare Flask reading the form",
        "line, signature check off",
        "line",
        "call flow and TwiML alone",
    ]


def test_heard_offering_reads_the_name_or_the_menu_after_audio() -> None:
    said = ET.fromstring(
        "<Response><Say>Crisis.</Say><Gather action='/voice/menu?p=jj&amp;s=offer'/></Response>"
    )
    played = ET.fromstring(
        "<Response><Play>a.mp3</Play><Gather action='/voice/menu?p=jj&amp;s=offer'/></Response>"
    )
    assert load.heard_offering(said, "jj", "Crisis")
    assert not load.heard_offering(said, "jj", "Thuis")
    assert load.heard_offering(played, "jj", "Crisis")
    assert not load.heard_offering(played, "jjn", "Crisis")
