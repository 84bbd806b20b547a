"""Where the content and the writable state are: found from the install, never guessed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from ivr.cli import cli
from ivr.config import locations
from ivr.config.locations import content_locations, instance_path
from ivr.config.settings import Settings
from ivr.core.errors import ConfigError
from tests.support.checkout import CHECKOUT
from tests.support.signing import TOKEN


def test_an_editable_install_reads_its_own_checkout() -> None:
    found = content_locations()
    assert found.tree == CHECKOUT / "tree" / "markant.yaml"
    assert found.prompts == CHECKOUT / "prompts" / "nl.yaml"
    assert found.audio_dir == CHECKOUT / "audio"
    assert found.shared_dir == CHECKOUT.parent / "shared"


class _Installed:
    """A distribution whose PEP 610 record is ``record``."""

    def __init__(self, record: str) -> None:
        self.record = record

    def read_text(self, name: str) -> str | None:
        return self.record if name == "direct_url.json" else None


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ('{"url": "file:///tmp/build_gone", "dir_info": {"editable": true}}', CHECKOUT),
        ('{"url": "file:///tmp/build_gone", "dir_info": {}}', None),
        ('{"url": "https://example.org/x.whl", "dir_info": {"editable": true}}', None),
        ("not json", None),
    ],
    ids=["editable-moved", "not-editable", "not-a-folder", "unreadable"],
)
def test_a_moved_editable_checkout_is_found_where_the_package_is_imported_from(
    record: str, expected: Path | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Heroku installs in /tmp/build_<id> and runs in /app; the record keeps the first."""
    monkeypatch.setattr(locations.metadata, "distributions", lambda name: [_Installed(record)])
    assert locations.editable_checkout() == expected


def test_a_tree_folder_elsewhere_on_the_path_is_not_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dm-tree installs a ``tree/`` package into site-packages; it is no line content."""
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "__init__.py").write_text("")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    content_locations.cache_clear()
    try:
        assert content_locations().tree == CHECKOUT / "tree" / "markant.yaml"
    finally:
        content_locations.cache_clear()


def test_no_content_found_says_which_variables_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locations, "packaged_content", lambda: None)
    monkeypatch.setattr(locations, "editable_checkout", lambda: None)
    content_locations.cache_clear()
    try:
        with pytest.raises(ConfigError, match=r"^IVR_TREE: .*set IVR_TREE, IVR_PROMPTS"):
            Settings.for_commands({})
        given = {"IVR_TREE": "/x/t.yaml", "IVR_PROMPTS": "/x/p.yaml", "IVR_AUDIO_DIR": "/x/a"}
        settings = Settings.for_commands(given)
        assert (settings.tree_path, settings.shared_dir) == (Path("/x/t.yaml"), None)
    finally:
        content_locations.cache_clear()


def test_the_instance_folder_is_flasks_default_for_the_package() -> None:
    assert instance_path({}) == Path(Flask("ivr").instance_path) == CHECKOUT / "instance"
    settings = Settings.for_commands({})
    assert settings.instance_path == CHECKOUT / "instance"
    assert settings.database_url == f"sqlite:///{CHECKOUT / 'instance' / 'ivr.sqlite3'}"


def test_ivr_instance_path_moves_the_default_sqlite_file(tmp_path: Path) -> None:
    settings = Settings.for_commands({"IVR_INSTANCE_PATH": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'ivr.sqlite3'}"
    named = {"IVR_INSTANCE_PATH": str(tmp_path), "IVR_SQLITE_PATH": "/data/x.db"}
    assert Settings.for_commands(named).database_url == "sqlite:////data/x.db"


def test_the_app_and_the_commands_share_one_instance_folder(tmp_path: Path) -> None:
    from ivr.web.app import create_app

    # development mode: outside it an implicit SQLite file is refused (tests/test_deployment.py)
    env = {
        "TWILIO_AUTH_TOKEN": TOKEN,
        "IVR_DEV_MODE": "1",
        "IVR_INSTANCE_PATH": str(tmp_path / "inst"),
    }
    app = create_app({**env, "IVR_AUDIO_DIR": str(tmp_path / "audio")})
    try:
        assert Path(app.instance_path) == tmp_path / "inst"
        used = app.extensions["ivr_database"].engine.url.render_as_string(hide_password=False)
        assert used == Settings.for_commands(env).database_url
        assert not (tmp_path / "inst" / "ivr.sqlite3").exists()  # workers never create it
    finally:
        app.extensions["ivr_database"].dispose()
    result = CliRunner().invoke(cli, ["db", "upgrade"], env=env)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "inst" / "ivr.sqlite3").is_file()


def test_validate_says_when_sources_were_not_checked(tmp_path: Path) -> None:
    env = {"IVR_SHARED_DIR": str(tmp_path / "absent"), "IVR_AUDIO_DIR": str(tmp_path / "a")}
    result = CliRunner().invoke(cli, ["validate"], env=env)
    assert result.exit_code == 0, result.output
    assert "source files were not checked" in result.output.splitlines()[1]
