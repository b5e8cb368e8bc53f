"""The sidebar's "Import a fitted model": a parameters JSON as EM's start, or shown as the fit itself.

Draw it before the model controls: while a model is imported, k and the covariance type are the model's.
"""

from __future__ import annotations

import streamlit as st

from explorer import imported_model
from explorer.dataset import Dataset

from .markdown_text import markdown_literal

UPLOAD_KEY = "imported_json"
MODE_KEY = "imported_mode"


def import_panel(dataset: Dataset | None) -> tuple[imported_model.ImportedModel, str] | None:
    """The upload and its use; (model, mode) when a usable model is loaded, else None (errors said here)."""
    loaded = st.session_state.get(UPLOAD_KEY) is not None
    with st.expander("Import a fitted model (parameters JSON)", expanded=loaded):
        upload = st.file_uploader(
            "Parameters JSON", type=["json"], key=UPLOAD_KEY,
            help="The file the Explorer's Downloads give as 'Parameters (JSON)', for example from a fit of many "
                 "more rows made with gmm_core on a Dask cluster. It stays in this tab: links do not carry it.",
        )
        if upload is None or dataset is None:
            return None
        st.radio("Use it to", list(imported_model.MODES), format_func=imported_model.MODES.get, key=MODE_KEY)
        try:
            model = imported_model.read_parameters(upload.getvalue(), upload.name)
            note = imported_model.check_against(model, tuple(dataset.feature_names))
        except ValueError as error:
            st.error(markdown_literal(str(error)), icon="⚠️")
            return None
        params = model.params
        # While a model is imported, the controls show its k and type: they are what the fit uses.
        st.session_state["k"] = params.n_components
        st.session_state["covariance_type"] = params.covariance_type
        st.caption(markdown_literal(
            f"{params.n_components} {params.covariance_type} components in {params.n_features} "
            f"feature{'s' if params.n_features != 1 else ''}. "
            + (note + " " if note else "")
            + "k and the covariance type follow the model while it is imported. "
            + ("EM starts from these weights, means and covariances (the initialisation setting is not used)."
               if st.session_state[MODE_KEY] == "start" else
               "Shown as they are on this data: the figure and scores are the model's, with no EM.")
        ))
        return model, st.session_state[MODE_KEY]


def fit_arguments(fit_args: dict, imported: tuple[imported_model.ImportedModel, str] | None) -> dict:
    """The page's fit arguments, with an imported model as the start or the result."""
    return fit_args if imported is None else imported_model.fit_arguments(*imported, fit_args)
