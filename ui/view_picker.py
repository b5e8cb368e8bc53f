"""Beside the player when the data has more than two features: which plane to look through, and why.

The fit is in all d features; the player shows it through the pair that separates the fitted components
best (the default, explained in a sentence), a pair the user picks, or the plane of the first two
principal components. Changing the view never refits: the fit is cached, only the payload changes.
"""

from __future__ import annotations

import streamlit as st

from explorer.settings import VIEW_LABELS
from figures.projection import PairScores

from .markdown_text import markdown_literal

_BEST_PAIR = "_view_best_pair"
_SHOWN = "_view_shown_pair"


def view_picker(scores: PairScores, feature_names: tuple[str, ...], n_components: int) -> tuple:
    """Draw the view controls; returns the view for ui.cache.player_payload: ('pair', i, j) or ('pca',)."""
    d = len(feature_names)
    best = scores.best_pair
    st.session_state[_BEST_PAIR] = best
    mode = st.session_state.get("view_mode", "best")
    if mode == "pair" and not _valid_pair(st.session_state.get("view_x"), st.session_state.get("view_y"), d):
        st.info(f"The pair of features asked for does not exist in this data's {d} features (or names one feature "
                "twice); showing the pair that separates best instead.", icon="🔗")
        st.session_state["view_mode"] = mode = "best"
    if mode != "pair":
        st.session_state["view_x"], st.session_state["view_y"] = best  # before the pickers are drawn
    names = [str(name) for name in feature_names]
    how, x_column, y_column = st.columns([1.4, 1, 1])
    how.radio("View the fit through", list(VIEW_LABELS), format_func=VIEW_LABELS.get, key="view_mode",
              horizontal=True, on_change=_entering_pair_mode,
              help=f"The fit uses all {d} features; the figure shows it in a plane. The ellipses are each "
                   "component's exact projection on that plane; the colours are the responsibilities in all "
                   f"{d} features. Changing the view does not refit.")
    if st.session_state["view_mode"] == "pca":
        st.caption("Viewing the plane of the data's first two principal components, the two directions in which "
                   "the points spread most; each ellipse is its component projected exactly onto that plane.")
        return ("pca",)
    x_column.selectbox("x axis", list(range(d)), format_func=names.__getitem__, key="view_x",
                       on_change=_picked, args=("view_x", "view_y"))
    y_column.selectbox("y axis", list(range(d)), format_func=names.__getitem__, key="view_y",
                       on_change=_picked, args=("view_y", "view_x"))
    pair = (st.session_state["view_x"], st.session_state["view_y"])
    st.session_state[_SHOWN] = pair
    st.caption(why_this_pair(scores, names, pair, n_components))
    return ("pair", *pair)


def why_this_pair(scores: PairScores, names: list[str], pair: tuple[int, int], n_components: int) -> str:
    """One sentence saying why the default pair was chosen (Markdown, names escaped)."""
    x, y = (markdown_literal(names[i]) for i in pair)
    best_x, best_y = (markdown_literal(names[i]) for i in scores.best_pair)
    count = len(scores.pairs)
    if n_components < 2:
        return f"Viewing **{x}** against **{y}**. With one component there is nothing to separate, so every pair is as good."
    best = float(scores.separation[scores.best])
    worst = float(scores.separation.min())
    if sorted(pair) == sorted(scores.best_pair):
        return (f"Viewing **{x}** against **{y}**: of the {count} pairs of features, this is the one on which the "
                f"fitted components are easiest to tell apart. Its two closest components are {best:.2f} apart "
                f"(Bhattacharyya distance between their marginals; on the worst pair, {worst:.2f}).")
    here = float(scores.separation[_pair_index(scores, pair)])
    return (f"Viewing **{x}** against **{y}**, where the two closest components are {here:.2f} apart "
            f"(Bhattacharyya distance). The components separate best on **{best_x}** against **{best_y}** "
            f"({best:.2f}).")


def _pair_index(scores: PairScores, pair) -> int:
    low, high = sorted(pair)
    return int(next(i for i, (a, b) in enumerate(scores.pairs.tolist()) if (a, b) == (low, high)))


def _valid_pair(x, y, d: int) -> bool:
    return isinstance(x, int) and isinstance(y, int) and 0 <= x < d and 0 <= y < d and x != y


def _entering_pair_mode() -> None:
    """Picking 'a pair I pick' starts from the best pair, which is what the figure showed."""
    if st.session_state["view_mode"] == "pair" and _BEST_PAIR in st.session_state:
        st.session_state["view_x"], st.session_state["view_y"] = st.session_state[_BEST_PAIR]


def _picked(changed: str, other: str) -> None:
    """A feature picked for one axis: now the user's pair; picking the other axis's feature swaps them."""
    st.session_state["view_mode"] = "pair"
    if st.session_state[changed] == st.session_state[other]:
        old_x, old_y = st.session_state.get(_SHOWN, st.session_state[_BEST_PAIR])
        st.session_state[other] = old_x if changed == "view_x" else old_y
