"""The Linux desktop integration: the .desktop entry, AppStream metadata and icons agree."""

from __future__ import annotations

import configparser
import re
import shutil
import struct
import subprocess
import tomllib
from pathlib import Path
from urllib.parse import urlparse
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree

from escalation_desk import __version__

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / "escalation-desk.desktop"
METAINFO = LINUX / "io.github.escalationdesk.EscalationDesk.metainfo.xml"
ICONS = LINUX / "icons" / "hicolor"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SCREENSHOTS = ROOT / "docs" / "screenshots"


def desktop_entry() -> configparser.SectionProxy:
    """The [Desktop Entry] group, parsed as the specification reads it."""
    # Keys are case-sensitive and values may hold '%' (field codes) and ';' (lists), so no
    # lower-casing, no interpolation and no inline comments; '=' is the only separator.
    parser = configparser.ConfigParser(
        interpolation=None,
        delimiters=("=",),
        comment_prefixes=("#",),
        inline_comment_prefixes=None,
        strict=True,
        empty_lines_in_values=False,
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(DESKTOP.read_text(encoding="utf-8"), source=str(DESKTOP))
    return parser["Desktop Entry"]


def metainfo() -> Element:
    """The AppStream component, parsed without trusting the file (entities, DTDs)."""
    root: Element = ElementTree.parse(METAINFO).getroot()
    return root


def text(root: Element, tag: str) -> str:
    """The stripped text of the first child with this tag; the test fails if there is none."""
    node = root.find(tag)
    assert node is not None, f"<{tag}> is missing"
    return (node.text or "").strip()


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG file's header chunk."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG file"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def project_script() -> str:
    """The command pip installs (pyproject.toml [project.scripts]); the bundle's name too."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        scripts = tomllib.load(file)["project"]["scripts"]
    (name,) = scripts
    return str(name)


def test_desktop_entry_has_the_keys_a_launcher_needs() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Escalation Desk"
    assert entry["Comment"]
    assert entry["Exec"].split()[0] == project_script()
    assert entry["Terminal"] == "false"
    categories = entry["Categories"].split(";")
    assert entry["Categories"].endswith(";")
    assert {"Office", "Utility"} & set(categories)


def test_desktop_file_name_is_the_one_the_app_announces() -> None:
    # Wayland compositors and docks match a window to its entry by this name.
    calls = set()
    for source in (ROOT / "app" / "escalation_desk").rglob("*.py"):
        calls |= set(re.findall(r'setDesktopFileName\(\s*"([^"]+)"', source.read_text("utf-8")))
    assert calls == {DESKTOP.stem}


def test_icon_is_a_theme_name_with_a_png_in_every_size() -> None:
    icon = desktop_entry()["Icon"]
    assert "/" not in icon
    assert not icon.endswith((".png", ".svg")), "a theme icon is named without its extension"
    for size in ICON_SIZES:
        png = ICONS / f"{size}x{size}" / "apps" / f"{icon}.png"
        assert png.is_file(), f"{png} is missing (make icons)"
        assert png_size(png) == (size, size)
    scalable = ICONS / "scalable" / "apps" / f"{icon}.svg"
    source = ROOT / "resources" / "icons" / f"{icon}.svg"
    assert scalable.read_bytes() == source.read_bytes(), "make icons copies the app's SVG"


def test_metainfo_identifies_the_app() -> None:
    root = metainfo()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    component_id = text(root, "id")
    assert re.fullmatch(r"[a-z][a-z0-9]*(\.[A-Za-z0-9_-]+){2,}", component_id)
    assert METAINFO.name == f"{component_id}.metainfo.xml"
    assert text(root, "name") == desktop_entry()["Name"]
    summary = text(root, "summary")
    assert summary
    assert not summary.endswith("."), "AppStream summaries carry no final full stop"
    assert text(root, "metadata_license") in {"CC0-1.0", "FSFAP", "MIT", "CC-BY-3.0"}
    with (ROOT / "pyproject.toml").open("rb") as file:
        assert text(root, "project_license") == tomllib.load(file)["project"]["license"]


def test_metainfo_describes_and_launches_the_app() -> None:
    root = metainfo()
    description = root.find("description")
    assert description is not None
    assert [p for p in description.iter("p") if (p.text or "").strip()]
    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert (launchable.text or "").strip() == DESKTOP.name
    assert text(root, "provides/binary") == project_script()


def test_metainfo_lists_the_package_version_as_a_release() -> None:
    releases = metainfo().findall("releases/release")
    assert releases, "<releases> is empty"
    versions = [release.get("version") for release in releases]
    assert __version__ in versions, f"add a <release> for {__version__} to {METAINFO.name}"
    for release in releases:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", release.get("date", "")), release.attrib


def test_metainfo_screenshots_are_files_in_docs() -> None:
    screenshots = metainfo().findall("screenshots/screenshot")
    assert screenshots
    assert [shot for shot in screenshots if shot.get("type") == "default"]
    for shot in screenshots:
        url = text(shot, "image")
        assert urlparse(url).scheme == "https"
        path = urlparse(url).path
        assert "/docs/screenshots/" in path, url
        name = path.rsplit("/docs/screenshots/", 1)[1]
        assert (SCREENSHOTS / name).is_file(), f"{url} names no file in docs/screenshots"
        assert text(shot, "caption")


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate is not installed (apt-get install desktop-file-utils)",
)
def test_desktop_file_validate_accepts_the_entry() -> None:
    done = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    # It exits 0 on hints too; errors and warnings are what a distribution would reject.
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error:" not in done.stdout
    assert "warning:" not in done.stdout


@pytest.mark.skipif(
    shutil.which("appstreamcli") is None,
    reason="appstreamcli is not installed (apt-get install appstream)",
)
def test_appstreamcli_validates_the_metadata() -> None:
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
