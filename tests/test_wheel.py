"""The wheel (``pip install .``) carries the tree, the prompts and the audio folder.

Marked ``wheel``: it builds the wheel (a few seconds; ``-m "not wheel"`` leaves it out). It
builds from a copy in a temporary folder, because setuptools writes ``build/`` and
``*.egg-info`` next to the sources; ``.ci/wheel_check.sh`` installs and runs the real thing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import wave
import zipfile

import pytest

from tests.support.checkout import CHECKOUT

# One wheel built for the module (its fixture): its tests stay on one xdist worker.
pytestmark = pytest.mark.xdist_group("wheel")

PIP_WHEEL = (sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation")
RENDERED = "0123456789abcdef0123.wav"
SHIPPED = ("pyproject.toml", "README.md", "ivr", "tree", "prompts", "audio", "recordings")


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    src = tmp_path_factory.mktemp("src")
    for name in SHIPPED:
        source = CHECKOUT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
            shutil.copytree(source, src / name, ignore=ignore)
        else:
            shutil.copy2(source, src / name)
    # Rendered audio as ``ivr audio render`` leaves it (in the copy only; a silent WAV).
    (src / "audio" / "manifest.json").write_text('{"format": 1, "prompts": {}}\n')
    with wave.open(str(src / "audio" / RENDERED), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 800)
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [*PIP_WHEEL, "-w", str(dist), str(src)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("mantelzorglijn-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


@pytest.mark.wheel
def test_the_wheel_carries_the_tree_and_the_prompts(wheel_names: set[str]) -> None:
    assert "ivr/_content/tree/markant.yaml" in wheel_names
    assert "ivr/_content/prompts/nl.yaml" in wheel_names
    assert not any(name.startswith(("tree/", "prompts/", "audio/")) for name in wheel_names)


@pytest.mark.wheel
def test_the_wheel_carries_the_translations_of_the_tree(wheel_names: set[str]) -> None:
    """Each language's texts of the tree, beside it in tree/translations/ (ivr.config.language_check)."""
    found = {p.name for p in (CHECKOUT / "tree" / "translations").glob("*.yaml")}
    shipped = {name for name in wheel_names if name.startswith("ivr/_content/tree/translations/")}
    assert shipped == {f"ivr/_content/tree/translations/{name}" for name in found}


@pytest.mark.wheel
def test_the_wheel_carries_the_recorded_languages_recordings(wheel_names: set[str]) -> None:
    """recordings/<code>/ beside audio/, as ivr.audio.recordings finds it: the volunteers' README
    and every recording (none yet), so an installed line offers a language once recorded."""
    recordings = CHECKOUT / "recordings"
    expected = {
        f"ivr/_content/recordings/{path.relative_to(recordings).as_posix()}"
        for path in recordings.glob("*/*")
        if path.name == "README.md" or path.suffix in (".mp3", ".wav")
    }
    assert "ivr/_content/recordings/ary/README.md" in expected
    shipped = {name for name in wheel_names if name.startswith("ivr/_content/recordings/")}
    assert shipped == expected


@pytest.mark.wheel
def test_the_wheel_carries_the_rendered_audio_and_no_readme(wheel_names: set[str]) -> None:
    audio = CHECKOUT / "audio"
    expected = {
        f"ivr/_content/audio/{name}"
        for name in {p.name for p in audio.iterdir()} | {"manifest.json", RENDERED}
        if name == "manifest.json" or name.endswith((".mp3", ".wav"))
    }
    shipped = {name for name in wheel_names if name.startswith("ivr/_content/audio/")}
    assert shipped == expected


@pytest.mark.wheel
def test_every_module_of_the_package_is_in_the_wheel(wheel_names: set[str]) -> None:
    """pyproject.toml lists the packages one by one: a new one must be added there."""
    modules = {p.relative_to(CHECKOUT).as_posix() for p in (CHECKOUT / "ivr").rglob("*.py")}
    assert modules - wheel_names == set()


@pytest.mark.wheel
def test_every_template_and_static_file_is_in_the_wheel(wheel_names: set[str]) -> None:
    """The pages' templates, scripts and style sheets (package-data in pyproject.toml)."""
    web = CHECKOUT / "ivr" / "web"
    served = {
        p.relative_to(CHECKOUT).as_posix()
        for folder in ("templates", "static")
        for p in web.glob(f"**/{folder}/**/*")
        if p.is_file()
    }
    assert "ivr/web/tools/phone/static/phone.js" in served
    assert served - wheel_names == set()
