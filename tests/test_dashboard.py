import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from coeval.html import Header, Section, fmt, page, static_page, table_html


def test_numbers_are_shown_plainly() -> None:
    assert fmt(None) == "–" and fmt(float("nan")) == "–" and fmt("*") == "*"
    assert fmt(62.456) == "62.5" and fmt(-1.75, 2) == "−1.75" and fmt(4.0, 0, sign=True) == "+4"
    assert fmt(3) == "3" and fmt(True) == "yes"


def test_tables_are_accessible_and_escape_text() -> None:
    frame = pd.DataFrame({"Item": ["<script>x</script>"], "Score": [2.5]})
    html = table_html(frame, "Scores", numeric=["Score"])
    assert "<caption>Scores</caption>" in html and '<th scope="col">Item</th>' in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert '<td class="num">2.5</td>' in html
    assert "Nothing to show" in table_html(frame.iloc[0:0], "Empty")


def test_sections_label_themselves() -> None:
    html = Section("voices", "Two voices", ["A & B"], "<svg></svg>", "cap").html()
    assert 'aria-labelledby="voices-h"' in html and '<h2 id="voices-h">' in html
    assert "<p>A &amp; B</p>" in html and "<figure><svg></svg><figcaption>cap" in html


def test_a_page_is_self_contained() -> None:
    html = page("T", Header("Title", ["line"], contents=[("a", "A")]).html())
    assert html.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert html.count("<h1>") == 1 and '<nav aria-label="Contents">' in html
    for external in ("<script", "<link", "http://", "https://", "@import"):
        assert external not in html


def _notebook(tmp_path, outputs) -> object:
    nb = new_notebook()
    nb.cells = [new_code_cell("x", outputs=outputs)]
    path = tmp_path / "run.ipynb"
    nbformat.write(nb, path)
    return path


def test_static_page_keeps_only_html_outputs(tmp_path) -> None:
    path = _notebook(
        tmp_path,
        [
            new_output("display_data", data={"text/html": "<p>kept</p>", "text/plain": "x"}),
            new_output("stream", name="stdout", text="dropped"),
            new_output("display_data", data={"application/javascript": "alert(1)"}),
        ],
    )
    html = static_page(path)
    assert "<p>kept</p>" in html and "dropped" not in html and "alert" not in html


def test_a_notebook_with_an_error_is_never_a_page(tmp_path) -> None:
    path = _notebook(tmp_path, [new_output("error", ename="E", evalue="v", traceback=[])])
    with pytest.raises(ValueError, match="not published"):
        static_page(path)


def test_counts_read_as_words() -> None:
    from coeval.text import plural

    assert plural(1, "item") == "1 item" and plural(3, "item") == "3 items"
    assert plural(2, "activity", "activities") == "2 activities" and plural("*", "x") == "* xs"


@pytest.mark.slow
def test_serve_opens_on_the_quarters_and_preheats_only_the_latest(tiny) -> None:
    """`coeval serve`: a home page of quarters (newest first) and projects by name with their
    figures, links that open, kernels started ahead for the latest quarter only, and tables
    aligned as on the static pages (text left, numbers right)."""
    import os
    import re
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    import psutil

    from coeval.run import run_reviews
    from coeval.server.dashboards import preheated_notebooks, voila_command
    from coeval.server.voila import Serving
    from tests.browser import Visit, chromium, open_page, serious_violations
    from tests.nginx import free_port
    from tests.test_servers import kernels

    for period in ("2026Q2", "2026Q3"):
        assert not run_reviews(tiny, period).failed
    latest = [p.name for p in preheated_notebooks(tiny.dashboards_dir)]
    assert sorted(latest) == ["007.ipynb", "portfolio.ipynb"]
    assert all(p.parent.name == "2026Q3" for p in preheated_notebooks(tiny.dashboards_dir))
    command = voila_command(tiny, Serving(port=1))
    assert (
        f"--CappedKernelManager.max_kernels={tiny.settings.servers.serve_max_screens + 2}"
        in command
    )

    port = free_port()
    coeval = str(Path(sys.executable).parent / "coeval")
    process = subprocess.Popen(
        [coeval, "--workbook", str(tiny.root), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "COEVAL_WORKBOOK": ""},
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        server = psutil.Process(process.pid)
        deadline = time.monotonic() + 120
        while len(kernels(server)) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(5)
        assert len(kernels(server)) == 2  # 2026Q3's two pages, not 2026Q2's
        home = urllib.request.urlopen(base, timeout=60).read().decode()
        assert home.index("Quarter 2026Q3") < home.index("Quarter 2026Q2")
        assert "Project Seven" in home and "007.ipynb" not in re.sub(r'href="[^"]*"', "", home)
        assert re.search(r"Six|principles|%", home)  # headline figures
        links = re.findall(r'href="(/voila/render/[^"]+)"', home)
        assert "/voila/render/2026Q3/007.ipynb" in links and len(links) == 4
        with chromium() as browser:
            visit = Visit()
            page = open_page(browser, base, visit)
            assert serious_violations(page) == []
            page.get_by_role("link", name="Project Seven").first.click()
            page.wait_for_selector("td.num", timeout=60_000)
            aligned = page.evaluate(
                """() => [getComputedStyle(document.querySelector('td.num')).textAlign,
                    getComputedStyle([...document.querySelectorAll('td')]
                        .find((c) => !c.classList.contains('num'))).textAlign]"""
            )
            assert aligned == ["right", "left"]
            assert visit.blocked == []
    finally:
        process.terminate()
        process.wait(timeout=30)
