"""The Explorer in a real browser: the player appears, plays, steps, and a share link reproduces it."""

import pytest

from .helpers import (FINGERPRINT_JS, FRAME_LABEL_JS, PLAYER_READY_JS, assert_no_exception, open_details,
                      player_fingerprint, screenshot, wait_for_app_idle)

pytestmark = pytest.mark.browser

PLAYER = "document.querySelector('.emp').__emPlayer"
def open_explorer(page, url):
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app_idle(page, timeout_ms=90_000)
    page.wait_for_function(PLAYER_READY_JS, timeout=60_000)


def test_the_player_appears_plays_and_steps(app_server, page):
    open_explorer(page, app_server)
    assert_no_exception(page)
    fingerprint = player_fingerprint(page)
    assert fingerprint["frames"] >= 2
    before = page.evaluate(FRAME_LABEL_JS)
    assert before == "iteration 0 · initial"
    screenshot(page, "explore-before-play")
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function(f"(start) => ({FRAME_LABEL_JS})() !== start", arg=before, timeout=10_000)
    page.wait_for_timeout(1500)
    after = player_fingerprint(page)
    assert after["label"] != before and after["drawn"] != fingerprint["drawn"]
    screenshot(page, "explore-after-play")
    # The debugger keys: one frame forward, one back.
    page.get_by_role("button", name="First frame").click()
    page.keyboard.press("ArrowRight")
    assert page.evaluate(f"{PLAYER}.index") == 1
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(f"{PLAYER}.index") == 0
    assert_no_exception(page)
    # plotly.js (the vendored basic bundle) and the player come from this server, cached for a year
    # under URLs that carry their content's hash.
    scripts = page.evaluate("() => Array.from(document.querySelectorAll('script[src*=\"/component/\"]')).map(s => s.src)")
    assert any("/vendor/plotly-basic.min.js?v=" in src for src in scripts) and any("/mount.js?v=" in src for src in scripts)
    for src in scripts:
        response = page.request.get(src)
        assert response.ok and response.headers.get("cache-control") == "public, max-age=31536000, immutable", src


def test_the_page_loads_plotly_js_once_and_draws_its_charts_with_it(app_server, browser):
    # Streamlit's own plotly.js (its PlotlyChart chunk, 4.7 MB) delayed a first visit's figure by ~2 s.
    context = browser.new_context(viewport={"width": 1280, "height": 720})  # a first visit: nothing cached
    try:
        page = context.new_page()
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        open_explorer(page, app_server + "/?data=overlap&restarts=2")
        open_details(page, "Restarts")
        page.wait_for_function(  # one curve per run (the legend draws its own samples of the lines)
            """() => Array.from(document.querySelectorAll('.st-key-restarts_chart .js-plotly-plot path.js-line'))
                 .filter((line) => !line.closest('.legend')).length === 2""", timeout=30_000)
        open_details(page, "Uncertainty")
        chart = page.locator(".st-key-uncertainty_chart .js-plotly-plot")
        chart.scroll_into_view_if_needed()
        chart.locator(".scatterlayer .trace").first.wait_for(timeout=30_000)
        assert not [url for url in requested if "PlotlyChart" in url]
        assert len([url for url in requested if "plotly-basic" in url]) == 1
        # The chart is as interactive as st.plotly_chart's: hovering a point shows its uncertainty.
        point = chart.locator(".scatterlayer .trace .points path").first.bounding_box()
        page.mouse.move(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
        page.locator(".st-key-uncertainty_chart .hoverlayer .hovertext").first.wait_for(timeout=10_000)
        assert "uncertainty" in page.locator(".st-key-uncertainty_chart .hoverlayer").text_content()
        assert_no_exception(page)
        screenshot(page, "explore-uncertainty-with-the-players-plotly")
    finally:
        context.close()


def test_the_page_itself_starts_loading_plotly_js_before_streamlit_draws_anything(app_server, page, browser):
    # ui/early_assets.py: the HTML's head starts the load, once a session has registered the player's files.
    open_explorer(page, app_server + "/")
    context = browser.new_context(viewport={"width": 1280, "height": 720})  # a first visit: nothing cached
    try:
        fresh = context.new_page()
        open_explorer(fresh, app_server + "/")
        times = fresh.evaluate("""() => ({
            loader: performance.getEntriesByName("emp-loader")[0].startTime,
            plotly: performance.getEntriesByName("emp-plotly")[0].startTime,
            hostConfig: performance.getEntriesByType("resource").find((r) => r.name.includes("/_stcore/host-config")).startTime,
            plotlyFiles: performance.getEntriesByType("resource").filter((r) => r.name.includes("plotly-basic")).length,
        })""")
        assert times["loader"] < times["hostConfig"], times  # before Streamlit has even asked how to connect
        assert times["plotlyFiles"] == 1 and times["plotly"] > times["loader"]
        assert_no_exception(fresh)
        # Only the Explorer's HTML carries it: the other pages draw with Streamlit's own plotly.js.
        html = {path: context.request.get(app_server + path, headers={"Accept": "text/html"}).text()
                for path in ("/", "/choose_k", "/how_em_works")}
        assert ["__empLoading" in text for text in html.values()] == [True, False, False]
    finally:
        context.close()


def test_a_share_link_reproduces_the_identical_payload_and_picture(app_server, page, browser):
    open_explorer(page, app_server + "/?k=3&cov=diag&data=blobs&true_k=3&dseed=5&steps=1")
    assert_no_exception(page)
    original = player_fingerprint(page)
    assert original["label"] == "iteration 0 · initial" and original["frames"] % 2 == 1  # step mode
    page.get_by_role("button", name="🔗 Share").click()
    link = page.locator('[data-testid="stCode"] code').first.inner_text().strip()
    assert "k=3" in link and "cov=diag" in link and "steps=1" in link
    fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = fresh.new_page()
        open_explorer(other, link)
        assert_no_exception(other)
        assert player_fingerprint(other) == original
        screenshot(other, "explore-shared-link")
    finally:
        fresh.close()


@pytest.mark.parametrize("viewport", [(1280, 720), (1920, 1080), (390, 844)])
def test_keep_iterating_refits_past_a_plateau_and_keeps_the_link(app_server, browser, viewport):
    """Old Faithful from swapped means with tol 1e-3: not a green success but 'Stopped … still rising';
    the button refits to -1,130.264 with every other setting, and the address bar follows."""
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        open_explorer(page, app_server + "/?data=faithful&init=manual&means=4.29,54.48;2.04,79.97&tol=0.001")
        assert_no_exception(page)
        stopped = page.locator('[data-testid="stAlertContentInfo"]', has_text="Stopped after")
        assert "still rising" in stopped.inner_text()
        assert page.locator('[data-testid="stAlertContentSuccess"]', has_text="Converged").count() == 0
        button = page.get_by_role("button", name="Keep iterating")
        button.scroll_into_view_if_needed()
        screenshot(page, f"explore-keep-iterating-{width}x{height}", full_page=False)
        button.click()
        wait_for_app_idle(page, timeout_ms=90_000)
        page.locator('[data-testid="stAlertContentSuccess"]', has_text="Converged after").wait_for(timeout=30_000)
        assert "-1,130.264" in page.locator('[data-testid="stMetric"]').first.inner_text()
        assert "tol=" not in page.url and "means=4.29" in page.url and "data=faithful" in page.url
        assert page.get_by_role("button", name="Keep iterating").count() == 0
        assert_no_exception(page)
    finally:
        context.close()
