"""A caller's time to advice: every path of the tree walked through the real, signed webhooks.

    .venv/bin/python bench/caller_time.py

Per offering: the time spoken before it starts (welcome, key instructions, the questions) and
its own length (name, text, numbers). From the rendered audio files the line plays (the audio
folder's ``manifest.json`` names them), otherwise estimated at 150 words a minute. The services
are open (a Monday 10:00), so no "closed" notice is spoken. Aims: welcome <= 20 s, median
path <= 60 s, longest <= 90 s, no offering longer than ~45 s.
"""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask.testing import FlaskClient
from load_generator import FORM
from signed_calls import SignedRequest, line_env, load_line_content, sign, welcome
from spoken_length import SpokenLength

from ivr.config.settings import Settings
from ivr.core.hours import AMSTERDAM
from ivr.core.normalise import normalise
from ivr.core.tree_model import YES, Offering, Tree
from ivr.web.app import create_app

OPEN_TIME = datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM)  # a Monday: every service open
AIMS = {"welcome": 20.0, "median path": 60.0, "longest path": 90.0, "longest offering": 45.0}
Post = Callable[[SignedRequest], ET.Element]


@dataclass(frozen=True)
class PathTime:
    path: str
    offering: str  # offering id
    before: float  # seconds spoken before the offering starts
    length: float  # seconds of the offering itself


@dataclass(frozen=True)
class CallerTimes:
    welcome: float  # everything said before the first question
    paths: tuple[PathTime, ...]
    source: str

    def figures(self) -> dict[str, float]:
        befores = [p.before for p in self.paths]
        return {
            "welcome": self.welcome,
            "median path": statistics.median(befores),
            "longest path": max(befores),
            "longest offering": max(p.length for p in self.paths),
        }


def test_client_post(client: FlaskClient) -> Post:
    def post(request: SignedRequest) -> ET.Element:
        reply = client.post(
            request.url,
            data=request.body,
            content_type=FORM,
            headers={"X-Twilio-Signature": request.signature},
        )
        if reply.status_code != 200:
            raise RuntimeError(f"{request.url} answered {reply.status_code}")
        return ET.fromstring(reply.data)

    return post


def _spoken(elements: list[ET.Element], lengths: SpokenLength) -> float:
    return sum(lengths.of_verb(el) for el in elements if el.tag in ("Say", "Play"))


def _top_level_before_gather(doc: ET.Element) -> list[ET.Element]:
    verbs = []
    for verb in doc:
        if verb.tag == "Gather":
            break
        verbs.append(verb)
    return verbs


def walk(post: Post, tree: Tree, lengths: SpokenLength, slow: bool = False) -> CallerTimes:
    """Every path: welcome, then key 1/2 at each question (the Gather's own action URL).

    ``slow``: as for a caller who asked for two repeats at the start (``r=2`` from the first
    question on): every question and offering at the slower pace (the welcome at normal pace).
    """
    first = post(welcome())
    opening = _spoken(_top_level_before_gather(first), lengths)
    found = []
    for path, offering_id in tree.paths().items():
        doc = post(welcome())
        before = 0.0
        for answer in path:
            before += _spoken(list(doc.iter()), lengths)
            action = doc.find("Gather")
            if action is None:
                raise RuntimeError(f"path {path!r}: no question to answer")
            url = action.attrib["action"] + (
                "&r=2" if slow and "r=2" not in action.attrib["action"] else ""
            )
            doc = post(sign(url, Digits="1" if answer == YES else "2"))
        offering = tree.nodes[offering_id]
        assert isinstance(offering, Offering)
        said = _top_level_before_gather(doc)
        title = "".join(said[0].itertext()) if said else ""
        if said and said[0].tag == "Say" and title != normalise(f"{offering.title}."):
            raise RuntimeError(f"path {path!r} did not reach {offering.title!r}")
        found.append(PathTime(path, offering_id, before, _spoken(said, lengths)))
    return CallerTimes(opening, tuple(found), lengths.source())


def measure(slow: bool = False, estimate_only: bool = False) -> CallerTimes:
    """Every path's times, from the rendered audio the line plays (``estimate_only``: every
    text at 150 words a minute, the played ones too)."""
    env = line_env()
    app = create_app(env, clock=lambda: OPEN_TIME)
    lengths = SpokenLength.from_audio_dir(Settings.from_env(env).audio_dir, estimate_only)
    return walk(test_client_post(app.test_client()), load_line_content().tree, lengths, slow)


def both(rendered: CallerTimes, estimated: CallerTimes) -> list[str]:
    """The figures side by side: estimated at 150 words a minute, and from the audio."""
    lines = [f"{'':<17} {'estimated':>9} {'rendered':>9}"]
    found, guessed = rendered.figures(), estimated.figures()
    for name, value in found.items():
        aim = AIMS[name]
        verdict = "meets" if value <= aim else "MISSES"
        lines.append(
            f"{name:<17} {guessed[name]:7.0f} s {value:7.0f} s  (aim <= {aim:.0f} s: {verdict})"
        )
    return lines


def report(times: CallerTimes) -> list[str]:
    lines = [f"{'offering':<28} {'paths':>5} {'to it (max)':>12} {'its length':>11}"]
    by_offering: dict[str, list[PathTime]] = {}
    for p in times.paths:
        by_offering.setdefault(p.offering, []).append(p)
    for oid, paths in sorted(by_offering.items(), key=lambda kv: -max(p.before for p in kv[1])):
        worst = max(p.before for p in paths)
        lines.append(f"{oid:<28} {len(paths):>5} {worst:>10.0f} s {paths[0].length:>9.0f} s")
    lines.append(f"durations: {times.source}")
    for name, value in times.figures().items():
        aim = AIMS[name]
        verdict = "meets" if value <= aim else "MISSES"
        lines.append(f"{name:<17} {value:5.0f} s  (aim <= {aim:.0f} s: {verdict})")
    return lines


def main() -> int:
    rendered = measure()
    print("\n".join(report(rendered)))
    print("estimated (150 words a minute) and rendered (the audio files' own durations):")
    print("\n".join(both(rendered, measure(estimate_only=True))))
    slow = measure(slow=True).figures()
    print("slow pace (after two repeats: <prosody rate='85%'>, gather timeout x1.5):")
    for name in ("median path", "longest path", "longest offering"):
        print(f"{name:<17} {slow[name]:5.0f} s  (slow variant)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
