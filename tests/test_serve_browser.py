"""End to end: `indo-russia-data serve` in headless Chromium shows rows and source links."""

import html
import importlib.util
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from indo_russia_data.access.export import export

from conftest import ROOT, run_cli

CHROMIUM = Path("/usr/bin/chromium")
WAIT_SECONDS = 60


def test_serve_rejects_a_bad_port():
    out = run_cli("serve", "--port", "0")
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "--port" in out.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(proc: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited early with {proc.returncode}: {proc.stderr.read()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"serve did not answer {url} within {WAIT_SECONDS}s")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # serve stops Datasette and removes its temp folder
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    try:  # whatever is left of the session (Datasette included) goes too
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _dump_dom(url: str, profile: Path) -> str:
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--dump-dom", url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def _hrefs(dom: str) -> set[str]:
    return {html.unescape(h) for h in re.findall(r'href="([^"]+)"', dom)}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    if importlib.util.find_spec("datasette") is None:
        pytest.skip("datasette is missing (pip install 'indo-russia-data[serve]')")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen([sys.executable, "-m", "indo_russia_data.cli", "serve", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _wait_until_up(proc, f"http://127.0.0.1:{port}/-/versions.json")
        yield f"http://127.0.0.1:{port}", tmp_path_factory.mktemp("chromium")
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The same export serve makes, to know which rows and URLs to expect."""
    out = tmp_path_factory.mktemp("reference")
    con = sqlite3.connect(export(out)[0])
    yield con
    con.close()


@pytest.mark.slow
def test_contracts_page_shows_the_s400_row_and_links_its_source(server, reference):
    base, profile = server
    dom = _dump_dom(f"{base}/indo_russia_data/defence_contracts", profile)
    assert "dc-s400-2018" in dom
    source_id = reference.execute(
        "SELECT source_id FROM defence_contracts WHERE contract_id = 'dc-s400-2018'").fetchone()[0]
    assert f"/indo_russia_data/sources/{source_id}" in _hrefs(dom)


@pytest.mark.slow
def test_sources_page_links_to_source_urls(server, reference):
    base, profile = server
    dom = _dump_dom(f"{base}/indo_russia_data/sources", profile)
    urls = {r[0] for r in reference.execute("SELECT url FROM sources WHERE url IS NOT NULL")}
    shown = _hrefs(dom) & urls
    assert len(shown) >= 50, f"only {len(shown)} source URLs rendered as links"
    assert "CC-BY-4.0" in dom  # the licence from metadata.json


@pytest.mark.slow
def test_s400_evidence_source_page_links_its_url(server, reference):
    base, profile = server
    source_id, url = reference.execute(
        "SELECT s.source_id, s.url FROM claims c JOIN sources s USING (source_id) "
        "WHERE c.contract_id = 'dc-s400-2018' AND s.url IS NOT NULL ORDER BY s.source_id LIMIT 1").fetchone()
    dom = _dump_dom(f"{base}/indo_russia_data/sources/{source_id}", profile)
    assert url in _hrefs(dom)
