"""The dashboards in a real browser with the network blocked: static HTML and Voila."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import Visit, chromium, open_page, serious_violations

pytestmark = pytest.mark.slow
PAGES = ["discharge-workshops", "oakfield-mir", "portfolio"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as opened:
        yield opened


def _check(page: object, visit: Visit, lang: str) -> None:
    page.wait_for_selector("svg[role=img]", timeout=90_000)  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    figures = page.locator("figure")  # type: ignore[attr-defined]
    assert figures.count() >= 4
    for n in range(figures.count()):  # every chart is drawn, with a size
        box = figures.nth(n).locator("svg[role=img]").bounding_box()
        assert box and box["width"] > 50 and box["height"] > 20
    assert page.evaluate("document.documentElement.lang").startswith(lang)  # type: ignore[attr-defined]
    assert page.locator("h1").count() == 1  # type: ignore[attr-defined]
    assert visit.blocked == [], "the page tried to load from another host"
    assert visit.errors == []
    assert serious_violations(page) == []


@pytest.mark.parametrize("name", PAGES)
def test_the_static_pages_draw_every_chart_offline(reviewed, browser, name: str) -> None:
    book, _ = reviewed
    visit = Visit()
    page = open_page(browser, (book.dashboards_dir / "2026Q3" / f"{name}.html").as_uri(), visit)
    _check(page, visit, "en-GB")


def test_the_index_links_to_every_page(reviewed, browser) -> None:
    book, _ = reviewed
    visit = Visit()
    page = open_page(browser, (book.dashboards_dir / "2026Q3" / "index.html").as_uri(), visit)
    links = page.locator("a")  # type: ignore[attr-defined]
    assert links.count() == 3 and visit.blocked == [] and visit.errors == []
    assert serious_violations(page) == []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def voila(reviewed) -> Iterator[str]:
    book, _ = reviewed
    port = _free_port()
    coeval = Path(sys.executable).parent / "coeval"
    server = subprocess.Popen(
        [str(coeval), "--workbook", str(book.root), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "COEVAL_WORKBOOK": ""},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("name", ["discharge-workshops", "portfolio"])
def test_voila_draws_every_chart_offline(voila, browser, name: str) -> None:
    visit = Visit()
    page = open_page(browser, f"{voila}/voila/render/2026Q3/{name}.ipynb", visit)
    _check(page, visit, "en")
    assert page.locator(".jp-InputArea").count() == 0  # no code is shown  # type: ignore[attr-defined]


def test_voila_does_not_serve_failed_notebooks(voila, reviewed) -> None:
    book, _ = reviewed
    hidden = book.dashboards_dir / "2026Q3" / ".failed" / "secret.ipynb"
    hidden.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    try:
        with pytest.raises(OSError):
            urllib.request.urlopen(f"{voila}/voila/render/2026Q3/.failed/secret.ipynb", timeout=10)
    finally:
        hidden.unlink()
