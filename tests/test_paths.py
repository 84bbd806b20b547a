"""Every path of the schema's table reaches its offering, through the real webhooks."""

from __future__ import annotations

import pytest

from tests.support.calls import Caller

# (answers as keys, offering title) — the routing table of issue 2, written out by hand.
PATHS = {
    "crisis": ("1", "Hulp in een crisis"),
    "opschaling": ("21111", "Meer zorg of hulp voor uw naaste"),
    "aanvragen": ("21112", "Zorg of hulp aanvragen voor uw naaste"),
    "thuis-praktisch": ("21121", "Praktische ondersteuning in en om het huis"),
    "thuis-zelf": ("21122", "Ondersteuning voor de mantelzorger zelf"),
    "thuis-wlz": ("2121", "Logeeropvang via de W L Z"),
    "thuis-elv": ("21221", "Een korte opname voor uw naaste"),
    "thuis-jeugd": ("212221", "Kortdurend verblijf via de Jeugdwet"),
    "thuis-wmo": ("212222", "Logeeropvang via de W M O"),
    "geen-respijt-praktisch": ("2221", "Praktische ondersteuning in en om het huis"),
    "geen-respijt-zelf": ("2222", "Ondersteuning voor de mantelzorger zelf"),
    "dagbesteding-wmo": ("2211122", "Dagbesteding voor uw naaste"),
    "dagbesteding-jeugdwet": ("2211121", "Dagbesteding via de Jeugdwet"),
    "dagbesteding-wlz": ("221111", "Dagbesteding via de W L Z"),
    "activiteit": ("22112", "Activiteiten voor uw naaste"),
    "langer-wlz": ("221211", "Logeeropvang via de W L Z"),
    "langer-elv": ("2212121", "Een korte opname voor uw naaste"),
    "langer-jeugd": ("22121221", "Kortdurend verblijf via de Jeugdwet"),
    "langer-wmo": ("22121222", "Logeeropvang via de W M O"),
    "niet-langer-praktisch": ("221221", "Praktische ondersteuning in en om het huis"),
    "niet-langer-zelf": ("221222", "Ondersteuning voor de mantelzorger zelf"),
}


@pytest.mark.parametrize(("keys", "title"), PATHS.values(), ids=PATHS.keys())
def test_every_path_reaches_its_offering(caller: Caller, keys: str, title: str) -> None:
    reply = caller.post("/voice", CallStatus="ringing")
    for key in keys:
        assert reply.verbs()[-2:] == ["Gather", "Redirect"]
        reply = caller.post(reply.next_url(), Digits=key)
    spoken = reply.spoken()
    assert spoken[0].startswith(title)
    assert spoken[0].endswith(".")
    assert reply.next_url().startswith("/voice/menu?p=")


def test_the_table_covers_every_path_of_the_shipped_tree(app) -> None:
    tree = app.extensions["ivr_line"].flow.tree
    walked = {keys.replace("1", "j").replace("2", "n") for keys, _ in PATHS.values()}
    assert walked == set(tree.paths())
