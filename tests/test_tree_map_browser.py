"""The tree map in a real browser: click a box, read its card, play the call from there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.support.browser import chromium, screenshot_folder, skip_without_chromium

skip_without_chromium()

# One browser for the module (its fixture): its tests stay on one xdist worker.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("tree_map_browser")]

from tests.support.phone_page import LAPTOP, call, line_of, played_in_process, print_timings, said  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched
    print_timings()


def test_the_map_plays_from_a_box(phone_app: Flask, phone_url: str, browser: Any,
                                  tmp_path: Path) -> None:  # fmt: skip
    page = browser.new_page(viewport=LAPTOP)
    page.goto(f"{phone_url}/tree")
    assert page.title() == "Kaart van de beslisboom — Mantelzorglijn"
    tree = line_of(phone_app).flow.tree
    assert page.locator("[data-role=map] g.node").count() == len(tree.nodes)
    page.click("#node_dagbesteding")
    card = page.locator("[data-node=dagbesteding]")
    assert card.is_visible()
    assert card.locator("h2").inner_text() == tree.nodes["dagbesteding"].title
    assert card.locator(".source").inner_text() == tree.nodes["dagbesteding"].source
    page.screenshot(path=str(screenshot_folder(tmp_path) / "tree-map.png"))
    card.locator("[data-action=play-from-here]").click()
    page.wait_for_url(f"{phone_url}/phone?p=nnjjjnn")
    page.uncheck("[data-role=speak]")
    call(page, welcome=False)  # at a box of the tree: no welcome
    no_sms_no_transfer_no_restart = [("key", "2")] * 3  # a mobile caller: the SMS is offered
    played = played_in_process(phone_app, no_sms_no_transfer_no_restart, path="nnjjjnn")
    offer = played.index(
        "Wilt u dit advies ook per sms ontvangen? Toets één voor ja, of twee voor nee."
    )
    assert said(page) == played[: offer + 1]  # the advice, then the SMS offer, the first turn
    assert played[offer - 3] == "Pak pen en papier."  # before the advice's two numbers
    assert said(page)[0] == f"{tree.nodes['dagbesteding'].title}."
    page.close()
