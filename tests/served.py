"""Serve a database with Datasette exactly as `build_db.py --serve` does, in a subprocess on a free
loopback port, and drive it with headless Chromium (Playwright, with the system's Chromium: Playwright's
own browser download needs network access)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import yaml
from datasette.app import Datasette

from dedupe.cli import _datasette_command

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "screenshots"

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]


def chromium_path() -> str | None:
    """$CHROMIUM_PATH, else a Chromium or Chrome on PATH (Debian: apt-get install chromium)."""
    if os.environ.get("CHROMIUM_PATH"):
        return os.environ["CHROMIUM_PATH"] if os.access(os.environ["CHROMIUM_PATH"], os.X_OK) else None
    for name in CHROMIUM_NAMES:
        if found := shutil.which(name):
            return found
    return None


def screenshot_dir(readme: bool = False) -> Path:
    """Where a screenshot goes: screenshots/tmp/ (ignored by git), or for one README.md shows, with
    WRITE_SCREENSHOTS=1, screenshots/ itself."""
    path = SCREENSHOTS if readme and os.environ.get("WRITE_SCREENSHOTS") else SCREENSHOTS / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(db: Path, log: Path, timeout: float = 30.0):
    """Run Datasette on `db` with the serve command's flags; yield its base URL; stop it afterwards."""
    port = free_port()
    _, args = _datasette_command(db, port)
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"datasette exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"datasette did not answer within {timeout}s:\n"
                                       f"{log.read_text(errors='replace')}") from None
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextmanager
def chromium():
    """A headless Chromium browser (Playwright sync API)."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError("no Chromium binary found")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, timeout=30_000)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, dialogs: list[str] | None = None, width: int = 1200, height: int = 900):
    """A page in a fresh context that only reaches the loopback server (map tiles and anything else
    external are refused at once rather than timing out) and records every JS dialog it sees."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)

    def route(r):
        url = r.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    if dialogs is not None:
        def on_dialog(dialog):
            dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()
        page.on("dialog", on_dialog)
    return page


# An article whose every field carries markup: it must render inert (as text) on every page.
HOSTILE_TEXT = (
    "Two drones <script>alert(1)</script> were shot down over Ain al-Asad airbase on Sunday, the Iraqi "
    "military said.\n\nThe air defence system <img src=x onerror=alert(2)> intercepted both drones, "
    "officials said. <svg onload=alert(3)></svg>\n")
HOSTILE_RECORD = {
    "doc_id": "evil", "published": "2021-06-06", "text": HOSTILE_TEXT,
    "title": "<script>alert('title')</script>Drones downed over Ain al-Asad",
    "source": "<img src=x onerror=alert('source')>",
    "url": "javascript:alert('url')",
}


def write_hostile_inputs(folder: Path) -> Path:
    """The hostile article as a JSONL input in `folder`; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "evil.jsonl"
    path.write_text(json.dumps(HOSTILE_RECORD) + "\n", encoding="utf-8")
    return path


def serve_options(path: Path) -> dict:
    """Datasette's constructor arguments for exactly the command `build_db.py --serve` runs (metadata,
    templates, plugins, static files, CORS and every --setting), read back from that command."""
    _, args = _datasette_command(path, 8001)
    metadata_path = Path(args[args.index("-m") + 1])
    metadata = yaml.safe_load(metadata_path.read_text(encoding="utf-8"))
    if metadata_path != REPO / "metadata.yml":
        metadata_path.unlink()  # the renamed copy for a database not called incidents.db
    settings = {args[i + 1]: args[i + 2] for i, a in enumerate(args) if a == "--setting"}
    settings = {k: {"on": True, "off": False}.get(v, int(v) if v.isdigit() else v) for k, v in settings.items()}
    mount, directory = args[args.index("--static") + 1].split(":", 1)
    return {"metadata": metadata, "settings": settings, "cors": "--cors" in args,
            "template_dir": args[args.index("--template-dir") + 1],
            "plugins_dir": args[args.index("--plugins-dir") + 1], "static_mounts": [(mount, directory)]}


def datasette(path: Path) -> Datasette:
    # As `build_db.py --serve` runs it: metadata.yml (Datasette 0.65 does not read its settings, so they
    # are passed as settings), the repository's templates, plugins and static files, and CORS.
    return Datasette([str(path)], **serve_options(path))


async def get(ds: Datasette, url: str, status: int = 200):
    response = await ds.client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code} {response.text[:500]}"
    return response


async def get_json(ds: Datasette, url: str):
    response = await get(ds, url)
    assert response.headers["content-type"].startswith("application/json"), url
    return response.json()


def load_plugin(name: str = "incident_pages.py"):
    """A plugin file of plugins/ imported as a module, for testing its functions directly."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"{name[:-3]}_under_test", REPO / "plugins" / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
