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
    from coeval.html import plural

    assert plural(1, "item") == "1 item" and plural(3, "item") == "3 items"
    assert plural(2, "activity", "activities") == "2 activities" and plural("*", "x") == "* xs"
