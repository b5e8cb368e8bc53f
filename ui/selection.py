"""The 'Choose k' page's pieces: the sweep controls, the cached sweep with its progress bar, and its results.

Each (k, covariance type) fit is cached on its own, so a revisit is instant, a smaller range reuses a
larger one, and the progress bar reports real work. Page-local state lives under keys starting with `ck_`.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

import numpy as np
import pandas as pd
import streamlit as st

import figures
import gmm_core
from explorer.close_call import close_call
from explorer.dataset import Dataset
from explorer.settings import MAX_K, Settings
from explorer.work_budget import WorkLimitReached, WorkMeter, limit_duration, sweep_stopped_message

from . import session_guard, share, state
from .markdown_text import markdown_literal

# Every fit of the sweep: k-means++ starts, run to a tight tolerance (models are compared at their optimum).
SWEEP_INIT = "kmeans++"
SWEEP_TOL = 1e-6
SWEEP_MAX_ITER = 1000
PAGE_PATH = "choose_k"
LARGE_DATA = 20_000  # points beyond which a cold sweep takes long enough to say so
CRITERIA = {"bic": "BIC", "aic": "AIC"}
CONTROL_DEFAULTS = {
    "ck_k_range": (1, 8),
    "ck_covariance_types": list(gmm_core.COVARIANCE_TYPES),
    "ck_n_init": 10,
    "ck_criterion": "bic",
}


@dataclass(frozen=True)
class SweepPlan:
    """What to fit: every k with every covariance type, each with n_init restarts from `seed`."""

    ks: tuple[int, ...]
    covariance_types: tuple[str, ...]
    n_init: int
    seed: int
    reg_covar: float

    def explorer_changes(self, row: gmm_core.SweepRow) -> dict:
        """The settings under which the Explorer refits exactly this row's model."""
        return dict(k=row.n_components, covariance_type=row.covariance_type, init=SWEEP_INIT, algorithm="soft",
                    n_init=self.n_init, seed=self.seed, reg_covar=self.reg_covar, tol=SWEEP_TOL,
                    max_iter=SWEEP_MAX_ITER, manual_means=())


def keep_sweep_state() -> None:
    """Call at the top of the page: sets the defaults, and keeps the choices across page switches."""
    for key, default in CONTROL_DEFAULTS.items():
        st.session_state[key] = st.session_state.get(key, default)


def sweep_controls(settings: Settings) -> SweepPlan:
    """The range of k, the covariance types and the restarts (sidebar); seed and reg_covar are shared settings."""
    st.slider("Range of k", 1, MAX_K, key="ck_k_range")
    st.multiselect("Covariance types", list(gmm_core.COVARIANCE_TYPES), key="ck_covariance_types")
    st.number_input("Restarts per model (the best is kept)", 1, 20, step=1, key="ck_n_init")
    low, high = st.session_state["ck_k_range"]
    chosen = set(st.session_state["ck_covariance_types"])
    return SweepPlan(
        ks=tuple(range(int(low), int(high) + 1)),
        covariance_types=tuple(c for c in gmm_core.COVARIANCE_TYPES if c in chosen),
        n_init=int(st.session_state["ck_n_init"]),
        seed=settings.seed,
        reg_covar=settings.reg_covar,
    )


def describe_plan(plan: SweepPlan, n_fits: int) -> str:
    return (f"{n_fits} models: k = {plan.ks[0]} to {plan.ks[-1]} × {', '.join(plan.covariance_types)}; each the best of "
            f"{plan.n_init} k-means++ starts (seed {plan.seed}), run until the mean log-likelihood changes by less "
            f"than {SWEEP_TOL:g}, reg_covar {plan.reg_covar:g}.")


# --- the sweep ---------------------------------------------------------------------------------------
@st.cache_data(max_entries=256, show_spinner=False)
def _fit_one(X: np.ndarray, k: int, covariance_type: str, n_init: int, seed: int, reg_covar: float,
             _meter: WorkMeter) -> gmm_core.SweepRow:
    """One cell of the sweep, scored and checked for spurious components by gmm_core.select_model.

    Its work is charged to `_meter` (not part of the cache key): the fit stops, uncached, when the meter
    passes its limit or the browser session has gone.
    """
    return gmm_core.select_model(X, [k], [covariance_type], n_init=n_init, seed=seed, init=SWEEP_INIT,
                                 max_iter=SWEEP_MAX_ITER, tol=SWEEP_TOL, reg_covar=reg_covar,
                                 on_iteration=session_guard.metered(_meter, len(X), k, SWEEP_INIT, X.shape[1])).rows[0]


def run_sweep(X: np.ndarray, plan: SweepPlan) -> list[gmm_core.SweepRow]:
    """Fit every cell of the plan with a progress bar; problems become sentences. Returns the fitted rows.

    The bar is drawn here, between cached calls, never inside one: an element written from inside an
    st.cache_data function onto a block made outside it cannot be replayed on a cache hit
    (CacheReplayClosureError on the revisit).
    """
    if not plan.covariance_types:
        st.info("Pick at least one covariance type in the sidebar to start the sweep.")
        return []
    n_distinct = len(np.unique(X, axis=0))
    ks = [k for k in plan.ks if k <= n_distinct]
    if not ks:
        st.error(f"The data has only {n_distinct} distinct point{'s' if n_distinct != 1 else ''}, fewer than the "
                 f"smallest k asked for ({plan.ks[0]}); lower the range of k, or use data with more distinct points.",
                 icon="⚠️")
        return []
    if len(ks) < len(plan.ks):
        st.info(f"The data has only {n_distinct} distinct points, so k above {n_distinct} is left out of the sweep.")
    cells = [(k, c) for c in plan.covariance_types for k in ks]
    if len(X) > LARGE_DATA:
        st.caption(f"{len(cells)} models × {plan.n_init} restarts on {len(X):,} points take a while the first time, "
                   f"and one view stops after about {limit_duration()} of computing; fewer restarts or a narrower "
                   "range of k are faster. Results are kept for revisits.")
    progress = st.progress(0.0)
    rows, failures = [], []
    meter = WorkMeter()  # fits served from the cache cost nothing
    for done, (k, covariance_type) in enumerate(cells):
        progress.progress(done / len(cells), text=f"Fitting k = {k}, {covariance_type} ({done + 1} of {len(cells)})…")
        try:
            rows.append(_fit_one(X, k, covariance_type, plan.n_init, plan.seed, plan.reg_covar, meter))
        except ValueError as error:  # the engine's messages say what to change
            failures.append(f"k = {k}, {covariance_type}: {error}")
        except WorkLimitReached:
            progress.empty()
            st.error(sweep_stopped_message(done, len(cells), len(X), plan.n_init), icon="⏱️")
            return []
    progress.empty()
    if failures and rows:
        st.warning("Some models could not be fitted and are left out:\n\n" + "\n".join(f"- {f}" for f in failures), icon="⚠️")
    elif failures:
        st.error("No model could be fitted. " + failures[0], icon="⚠️")
    if rows:
        st.caption(describe_plan(plan, len(rows)))
    return rows


# --- the results -------------------------------------------------------------------------------------
def criterion_choice() -> str:
    st.radio("Rank the models by", list(CRITERIA), format_func=lambda c: {
        "bic": "BIC (Bayesian information criterion)", "aic": "AIC (Akaike information criterion)"}[c],
        horizontal=True, key="ck_criterion")
    return st.session_state["ck_criterion"]


def selection_chart(ranking: gmm_core.ModelSelection, true_k: int | None, presentation: bool,
                    labelled: bool = False) -> None:
    """The criterion against k; the true k (or the labels' number of classes) as a dashed line."""
    figure = figures.selection_figure(ranking.rows, ranking.criterion, true_k=true_k,
                                      recommended=ranking.best_non_spurious, presentation=presentation,
                                      true_k_name="classes" if labelled else "true k")
    # On a projector the figure's own large type, not the Streamlit theme's small one.
    st.plotly_chart(figure, width="stretch", key="ck_chart", config={"displaylogo": False},
                    theme=None if presentation else "streamlit")


def recommendation(ranking: gmm_core.ModelSelection, true_k: int | None, label_name: str | None = None) -> None:
    """The recommended model and why; with a true k (synthetic data) or labels (label_name), how many groups there are."""
    label = CRITERIA[ranking.criterion]
    chosen, best = ranking.best_non_spurious, ranking.best
    if chosen is None:
        st.warning(f"Every model in the sweep is spurious, so there is nothing to recommend. Try a smaller range of k, "
                   "a larger reg_covar (in the Explorer's settings), or data that is not rounded to a few values.")
        return
    text = (f"**Recommended: k = {chosen.n_components} with {chosen.covariance_type} covariances**, the lowest "
            f"{label} ({getattr(chosen, ranking.criterion):,.1f}) among the fits that are not spurious "
            f"(log-likelihood {chosen.log_likelihood:,.1f}, {chosen.n_parameters} parameters).")
    if best is not chosen:
        text += (f" The lowest {label} of the whole sweep ({getattr(best, ranking.criterion):,.1f}, k = "
                 f"{best.n_components}, {best.covariance_type}) belongs to a spurious fit: see below.")
    if true_k is not None and label_name is not None:
        text += (f" The labels in '{markdown_literal(label_name)}' have {true_k} classes (the dashed line); a class "
                 "need not be one Gaussian, so the best k can differ.")
    elif true_k is not None:
        text += f" The data was drawn from {true_k} component{'s' if true_k != 1 else ''} (the dashed line)."
    st.success(text, icon="⭐")


def close_call_note(ranking: gmm_core.ModelSelection, n_samples: int) -> None:
    """Why the recommendation beats a simpler model, when it does so by a small margin."""
    why = close_call(ranking.rows, ranking.criterion, ranking.best_non_spurious, n_samples)
    if why:
        st.markdown(why)


def spurious_note(ranking: gmm_core.ModelSelection, dataset: Dataset) -> None:
    """Why flagged fits are suspect, with the numbers of the most tempting one."""
    spurious = [row for row in ranking.rows if row.spurious]
    if not spurious:
        return
    tempting = min(spurious, key=attrgetter(ranking.criterion))
    label = CRITERIA[ranking.criterion]
    why_best = (f" That is how it gets the lowest raw {label} of the sweep "
                f"({getattr(tempting, ranking.criterion):,.1f})." if tempting is ranking.best else "")
    st.warning(
        f"**{len(spurious)} of {len(ranking.rows)} fits are spurious** (✗ on the chart): in each, a component sits "
        "on a few repeated values, or a few points, instead of a cluster. The likelihood rewards such a component "
        "without limit as its variance shrinks towards reg_covar, so these fits score well for a reason that has "
        f"nothing to do with the shape of the data. {describe_spurious(tempting, dataset.X, dataset.feature_names)}"
        f"{why_best} Rounded measurements (whole minutes, say) invite this. The recommendation skips spurious fits.",
        icon="⚠️",
    )


def describe_spurious(row: gmm_core.SweepRow, X: np.ndarray, feature_names) -> str:
    """One sentence on the first spurious component of a row: its points, and what made it spurious."""
    params = row.result.params
    component = row.spurious_components[0]
    check = gmm_core.component_checks(params, X)[component]
    members = params.predict(X) == component
    n_members = int(members.sum())
    holds = f"holds {n_members} point{'s' if n_members != 1 else ''}"
    direction = check.direction
    axis = int(np.argmax(np.abs(direction)))
    on_a_column = abs(direction[axis]) > 0.999  # the thin direction is one of the data's columns
    # a column name is the user's text, shown inside st.warning
    along = markdown_literal(feature_names[axis]) if on_a_column else "its thinnest direction"
    if on_a_column and n_members > 1 and np.ptp(X[members, axis]) == 0:
        holds += f", all with {along} = {X[members, axis][0]:g}"
    if check.too_few_points:
        why = (f"they amount to {check.effective_points:.2g} distinct point{'s' if check.effective_points >= 1.5 else ''}, "
               f"fewer than the {params.n_features + 1} it takes to span a {params.n_features}-D ellipse")
    else:
        why = (f"its variance along {along} is {check.relative_variance:.1e} of the other components' there")
    return f"In the k = {row.n_components}, {row.covariance_type} fit, component {component + 1} {holds}; {why}."


def sweep_table(ranking: gmm_core.ModelSelection) -> None:
    """Every fit, best first by the chosen criterion, with the recommended and spurious ones marked."""
    label = CRITERIA[ranking.criterion]
    ordered = sorted(ranking.rows, key=attrgetter(ranking.criterion))
    records = []
    for row in ordered:
        if row is ranking.best_non_spurious:
            note = "⭐ recommended"
        elif row.spurious:
            components = ", ".join(str(c + 1) for c in row.spurious_components)
            note = f"✗ spurious (component {components})" + (f", lowest {label}" if row is ranking.best else "")
        else:
            note = ""
        records.append({
            "k": row.n_components, "covariance type": row.covariance_type, "log-likelihood": row.log_likelihood,
            "parameters": row.n_parameters, "BIC": row.bic, "AIC": row.aic, "converged": row.converged,
            "spurious": row.spurious, "note": note,
        })
    st.subheader("Every fit of the sweep")
    st.caption(f"Sorted by {label}, lowest (best) first. Parameters are counted as scikit-learn counts them. "
               f"Spurious: {gmm_core.SPURIOUS_RULE}")
    number, check = st.column_config.NumberColumn, st.column_config.CheckboxColumn
    st.dataframe(pd.DataFrame(records), hide_index=True, width="stretch", key="ck_table", column_config={
        "k": number(width="small"), "covariance type": st.column_config.TextColumn(width="medium"),
        "log-likelihood": number(format="%.1f"), "parameters": number(width="small"),
        "BIC": number(format="%.1f"), "AIC": number(format="%.1f"),
        "converged": check(width="small"), "spurious": check(width="small"),
        "note": st.column_config.TextColumn(width="large"),
    })


def open_in_explorer(ranking: gmm_core.ModelSelection, plan: SweepPlan) -> None:
    """Pick a model (the recommended one first) and open it in the Explorer, or copy its link."""
    ordered = sorted(ranking.rows, key=attrgetter(ranking.criterion))
    by_key = {f"{row.n_components} {row.covariance_type}": row for row in ordered}
    default = ranking.best_non_spurious or ranking.best
    if st.session_state.get("ck_open_model") not in by_key:
        st.session_state["ck_open_model"] = f"{default.n_components} {default.covariance_type}"
    label = CRITERIA[ranking.criterion]

    def describe(key: str) -> str:
        row = by_key[key]
        marks = (" · recommended" if row is ranking.best_non_spurious else "") + (" · spurious" if row.spurious else "")
        return f"k = {row.n_components}, {row.covariance_type} ({label} {getattr(row, ranking.criterion):,.1f}){marks}"

    st.subheader("Watch it fit")
    choice, button = st.columns([3, 1], vertical_alignment="bottom")
    choice.selectbox("Model", list(by_key), format_func=describe, key="ck_open_model")
    changes = plan.explorer_changes(by_key[st.session_state["ck_open_model"]])
    if button.button("Open in the Explorer", key="ck_open", type="primary", on_click=_apply_changes,
                     args=(changes,), width="stretch"):
        st.switch_page("pages/explore.py")
    st.caption("The Explorer refits it with the same restarts, seed and tolerance, so it reaches the same "
               "log-likelihood. The same view as a link:")
    share.link_box(state.current_settings().with_changes(**changes))


def _apply_changes(changes: dict) -> None:
    """Button callback: runs before the next script run, so the widgets' state may still be set."""
    state.apply_settings(state.current_settings().with_changes(**changes))


