"""Views of a d > 2 fit in a real browser: the unchanged player computes full-dimensional responsibilities
and draws the marginal ellipses of the viewed pair; on the Explorer, switching the viewed pair or to the
principal components redraws without refitting."""

from __future__ import annotations

import numpy as np
import pytest

import gmm_core
from figures import player_payload
from figures.projection import marginal

from .helpers import assert_no_exception, player_fingerprint, screenshot, wait_for_app_idle
from .test_explore import open_explorer
from .test_player import AXES_JS, DRAWN_JS, PLAYER, open_player, path_points, to_data
from .test_uploads import FrameCounter

pytestmark = pytest.mark.browser

# Installed before any page script: records whether the fit's spinner ("Running EM…") ever appears. Streamlit
# shows it on a cache miss of the fit that lasts over 0.5 s, so the link below fits for a few seconds.
WATCH_FIT_SPINNER_JS = """
window.__fitSpinnerSeen = false;
new MutationObserver(() => {
  if (!window.__fitSpinnerSeen && document.body && document.body.textContent.includes('Running EM')) window.__fitSpinnerSeen = true;
}).observe(document, {childList: true, subtree: true, characterData: true});
"""
SLOW_FIT_LINK = "/?data=blobs&dim=4&true_k=3&k=3&n=100000&iters=600&tol=0&dseed=2"  # 600 certain iterations: seconds on any machine
VIEW_JS = f"() => {{ const p = {PLAYER}.payload; return {{pair: p.view.pair, features: p.features, d: p.n_features}}; }}"


def test_the_player_draws_a_four_feature_fit_through_the_pair(browser, tmp_path):
    rng = np.random.default_rng(3)
    factors = rng.normal(size=(3, 4, 4))
    truth = gmm_core.GaussianMixtureParams(np.ones(3) / 3, rng.normal(size=(3, 4)) * 3,
                                           factors @ np.swapaxes(factors, 1, 2) + 0.5 * np.eye(4), "full")
    X = truth.sample(400, seed=1)[0] + 1000.0  # far from the origin: accuracy must not depend on it
    fit = gmm_core.fit(X, 3, tol=0, max_iter=5, seed=0)
    page = open_player(browser, tmp_path, player_payload(fit, X, pair=(3, 1)))
    try:
        page.evaluate(f"{PLAYER}.go({PLAYER}.frameCount() - 1)")
        shown = page.evaluate(f"{PLAYER}.stateJSON()")
        np.testing.assert_allclose(np.reshape(shown["resp"], (400, 3)), fit.params.predict_proba(X), atol=1e-6)
        drawn, axes = page.evaluate(DRAWN_JS), page.evaluate(AXES_JS)
        means, covariances = marginal(fit.params.means, fit.params.full_covariances, (3, 1))
        one_sigma = [to_data(path_points(d), axes) for d in drawn["ellipses"][0::3]]  # 1 sigma of each component
        for c, curve in enumerate(one_sigma):
            offsets = curve - means[c]
            distances = np.einsum("ni,ij,nj->n", offsets, np.linalg.inv(covariances[c]), offsets)
            np.testing.assert_allclose(distances, 1.0, atol=0.03)  # a pixel's worth
        assert not page.errors, page.errors
    finally:
        page.close()


def pick(page, label: str, option: str) -> None:
    """Choose `option` in the selectbox labelled `label` beside the player, and wait for the rerun."""
    before = page.frame_counter.received
    combo = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text(label, exact=True)).get_by_role("combobox")
    combo.scroll_into_view_if_needed()
    combo.click()
    if not page.get_by_role("option").count():
        combo.press("ArrowDown")
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_rerun(page, before)


def wait_for_rerun(page, before: int) -> None:
    for _ in range(600):
        if page.frame_counter.received > before:
            break
        page.wait_for_timeout(50)
    wait_for_app_idle(page, timeout_ms=60_000)
    player_fingerprint(page)


def test_switching_the_viewed_pair_redraws_without_refitting(app_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.add_init_script(WATCH_FIT_SPINNER_JS)
    page = context.new_page()
    page.frame_counter = FrameCounter(page)
    try:
        open_explorer(page, app_server + SLOW_FIT_LINK)
        assert_no_exception(page)
        assert page.evaluate("window.__fitSpinnerSeen") is True  # the control: a new link fits, and it shows
        first = page.evaluate(VIEW_JS)
        assert first["d"] == 4 and len(first["pair"]) == 2
        assert page.get_by_text("easiest to tell apart").count() == 1  # the page says why this pair
        screenshot(page, "views-4d-best-pair-1280x720", full_page=False)
        means_before = page.evaluate(f"Array.from({PLAYER}.model.M)")
        page.evaluate("window.__fitSpinnerSeen = false")
        other = next(j for j in range(4) if j not in first["pair"])
        pick(page, "y axis", first["features"][other])
        switched = page.evaluate(VIEW_JS)
        assert switched["pair"] == [first["pair"][0], other]
        assert page.evaluate(f"Array.from({PLAYER}.model.M)") == means_before  # the same fit's parameters
        before = page.frame_counter.received
        page.get_by_text("principal components 1 and 2").click()
        wait_for_rerun(page, before)
        page.wait_for_function(f"() => {PLAYER}.payload.features[0].startsWith('PC1')", timeout=30_000)
        assert page.evaluate("window.__fitSpinnerSeen") is False, "switching the view refitted"
        assert_no_exception(page)
        screenshot(page, "views-4d-principal-components-1280x720", full_page=False)
        for width, height in ((1920, 1080), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(800)
            screenshot(page, f"views-4d-principal-components-{width}x{height}", full_page=False)
    finally:
        context.close()
