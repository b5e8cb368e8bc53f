"""Words for a newcomer (issue 11), under Streamlit's AppTest: every page spells out Expectation-Maximization,
cites the source articles by title (never "article 1"), the model controls explain themselves in a tooltip,
the Explorer and How EM works link to each other, and presentation mode links every page to the others."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_checks import open_advanced
from explorer import control_help
from explorer.settings import ALGORITHM_LABELS, COVARIANCE_LABELS, INIT_LABELS
from explorer.sources import ARTICLE_1D, ARTICLE_2D

APP = Path(__file__).resolve().parents[1] / "app.py"
TIMEOUT = 120
PAGES = {"explore": "pages/explore.py", "choose_k": "pages/choose_k.py", "how_em_works": "pages/how_em_works.py"}
TEXT_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "success", "info", "warning", "error")
WIDGETS = ("selectbox", "radio", "slider", "number_input", "toggle", "checkbox", "multiselect", "button")


def open_page(name: str, **query) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.session_state["ck_k_range"] = (1, 3)  # a short sweep on Choose k
    at.session_state["ck_n_init"] = 2
    open_advanced(at)  # every control drawn
    at.run()
    if name != "explore":
        at.switch_page(PAGES[name]).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def page_text(at: AppTest) -> str:
    """Everything a visitor can read: text elements, widget labels and their tooltips."""
    parts = [str(element.value) for kind in TEXT_ELEMENTS for element in at.get(kind)]
    for kind in WIDGETS:
        for widget in at.get(kind):
            parts += [widget.label or "", getattr(widget, "help", None) or ""]
            parts += [str(option) for option in getattr(widget, "options", [])]
    return "\n".join(parts)


def page_links(at: AppTest) -> dict[str, str]:
    return {link.proto.label: link.proto.page for link in at.get("page_link")}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_spells_out_em_and_never_cites_an_article_by_number(name):
    text = page_text(open_page(name))
    assert "Expectation-Maximization" in text
    assert "article 1" not in text.lower() and "article 2" not in text.lower()
    assert "first article" not in text and "second article" not in text


def test_how_em_works_names_both_articles_and_cites_bishop_in_full_once():
    text = page_text(open_page("how_em_works"))
    assert f"“{ARTICLE_2D}”" in text and f"“{ARTICLE_1D}”" in text
    assert text.count("Pattern Recognition and Machine Learning") == 1
    assert "Bishop" in text and "Springer, 2006" in text


def test_the_explorer_names_the_article_its_preset_comes_from():
    text = page_text(open_page("explore"))
    assert f"the example of “{ARTICLE_2D}”" in text  # the default data: two tight clusters
    text = page_text(open_page("explore", data="overlap"))
    assert f"the example of “{ARTICLE_1D}”" in text


def test_every_model_control_has_a_plain_words_tooltip_naming_each_choice():
    at = open_page("explore")
    helps = {
        "k": at.slider(key="k").help,
        "covariance_type": at.selectbox(key="covariance_type").help,
        "init": at.selectbox(key="init").help,
        "algorithm": at.radio(key="algorithm").help,
        "max_iter": at.number_input(key="max_iter").help,
        "tol": at.number_input(key="tol").help,
        "reg_covar": at.number_input(key="reg_covar").help,
        "seed": at.number_input(key="seed").help,
        "n_init": at.number_input(key="n_init").help,
    }
    assert all(text and len(text) > 20 for text in helps.values()), helps
    for key, labels in (("covariance_type", COVARIANCE_LABELS), ("init", INIT_LABELS), ("algorithm", ALGORITHM_LABELS)):
        lines = helps[key].splitlines()
        assert len(lines) == len(labels)  # one line per choice, in the order of the menu
        for line, label in zip(lines, labels.values()):
            assert line.startswith(f"- **{label.split(':')[0]}**: ")
    assert helps["reg_covar"] == control_help.REG_COVAR and "shrink onto a single point" in helps["reg_covar"]
    assert "keep the run with the highest log-likelihood" in helps["n_init"]


def test_the_explorer_and_how_em_works_link_to_each_other():
    assert page_links(open_page("explore"))["What am I looking at?"] == "how_em_works"
    links = page_links(open_page("how_em_works"))
    assert links["Back to the Explorer: watch EM fit your own data"] == "explore"


@pytest.mark.parametrize("name", list(PAGES))
def test_presentation_mode_links_every_page_to_the_other_two_and_can_be_left(name):
    at = open_page(name, present="1")
    links = {page for label, page in page_links(at).items() if label in ("Explore", "Choose k", "How EM works")}
    assert links == set(PAGES) - {name}
    at.button(key="exit_presentation").click().run()
    assert not at.session_state["presentation"] and "present" not in at.query_params
    assert not any(label in ("Explore", "Choose k", "How EM works") for label in page_links(at))
