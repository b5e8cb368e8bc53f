"""The data panel shared by every page: choose a source, load it, and explain what was loaded.

Bad input never raises: it becomes one sentence on the page, and every other setting stays.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

import data_sources
from explorer.dataset import Dataset
from explorer.settings import BLOB_SIZES, MAX_FEATURES, MAX_K, SOURCES, SYNTHETIC_FIELDS
from explorer.sources import ARTICLE_1D, ARTICLE_2D, quoted

from . import cache
from .column_picker import column_controls, constant_columns_note, kept_columns_note, label_note
from .drawing_panel import drawing_controls
from .markdown_text import markdown_literal


DATA_HELP = (f"Two tight clusters: the example of {quoted(ARTICLE_2D)}. Two overlapping Gaussians: the example of "
             f"{quoted(ARTICLE_1D)}. Both are drawn afresh from their known Gaussians, so the true clusters can be shown. "
             "Fisher's iris: 150 flowers of three species measured by Anderson (1935) and published by Fisher (1936); "
             "the species are the labels the fit is compared with.")


@dataclass(frozen=True)
class Upload:
    """The file in the upload control (it is not part of the URL)."""

    raw: bytes
    name: str


def data_controls() -> Upload | None:
    """Data source and its options; returns the uploaded file when the source is 'upload'."""
    st.selectbox("Data", list(SOURCES), format_func=SOURCES.get, key="source", help=DATA_HELP)
    source = st.session_state["source"]
    if source == "blobs":
        st.slider("True number of clusters", 1, MAX_K, key="blob_k")
        st.select_slider("Points", BLOB_SIZES, key="blob_n")
        st.slider("Dimension", 1, MAX_FEATURES, key="blob_dim")
        st.slider("Separation (in cluster widths)", 0.0, 20.0, step=0.5, key="blob_separation")
        st.slider("Anisotropy (long / short axis)", 1.0, 10.0, step=0.5, key="blob_anisotropy",
                  help="Unused in 1-D; each cluster is also rotated at random.")
    if source == "draw":
        drawing_controls()
    if source in ("tight", "overlap", "blobs"):
        st.number_input("Data seed", 0, 2**31 - 1, step=1, key="data_seed",
                        help="The same seed always draws the same points.")
    if source != "upload":
        return None
    file = st.file_uploader(
        "CSV file",
        type=["csv", "tsv", "txt"],
        key="upload_file",
        help=f"Comma, semicolon or tab separated; UTF-8 or Latin-1; at most {data_sources.MAX_UPLOAD_MB} MB. "
        f"Pick up to {MAX_FEATURES} numeric columns below, and optionally a label column. A shared link carries the "
        "settings, not the file.",
    )
    return None if file is None else Upload(file.getvalue(), file.name)


def data_panel() -> Dataset | None:
    """Draw the data controls in the sidebar and return the loaded dataset (None after a message)."""
    with st.sidebar:
        st.header("Data")
        upload = data_controls()
        table = _parsed_upload(upload) if upload is not None else None
        if isinstance(table, data_sources.ParsedTable):
            column_controls(table)
    source = st.session_state["source"]
    if source == "upload":
        if upload is None:
            st.info("Upload a CSV file in the sidebar to fit it. A shared link carries the settings, not the file.")
            return None
        if isinstance(table, data_sources.DataError):
            # In the main area, where the figure would be: a message only in the sidebar goes unseen.
            _file_error(upload, table)
            return None
        return _uploaded_dataset(upload, table)
    if source == "faithful":
        return cache.faithful_dataset()
    if source == "iris":
        return cache.iris_dataset()
    if source == "draw":
        return cache.drawn_dataset(st.session_state.get("points") or "", int(st.session_state["blob_dim"]))
    return cache.synthetic_dataset(**{name: st.session_state[name] for name in SYNTHETIC_FIELDS})


def _parsed_upload(upload: Upload) -> data_sources.ParsedTable | data_sources.DataError:
    """The parsed file, or the DataError that says what is wrong with it."""
    try:
        return cache.parse_upload(upload.raw, upload.name)
    except data_sources.DataError as error:
        return error


def _file_error(upload: Upload, error: data_sources.DataError) -> None:
    st.error(f"**{markdown_literal(upload.name)}**: {markdown_literal(error)}", icon="📄")


def _uploaded_dataset(upload: Upload, table: data_sources.ParsedTable) -> Dataset | None:
    columns = tuple(st.session_state.get("columns") or ())
    if not columns:
        st.warning(f"Pick from 1 to {MAX_FEATURES} numeric columns in the sidebar to fit.")
        return None
    kept_columns_note(table, columns)
    try:
        dataset, prepared = cache.uploaded_dataset(upload.raw, upload.name, columns, bool(st.session_state["standardise"]),
                                                   st.session_state.get("label") or None)
    except data_sources.DataError as error:
        _file_error(upload, error)
        return None
    _describe_upload(table, prepared)
    label_note(prepared)
    constant_columns_note(prepared)
    return dataset


def _describe_upload(table: data_sources.ParsedTable, prepared) -> None:
    """What was read: rows used and dropped (by reason), skipped columns, and a preview."""
    delimiter = {",": "comma", ";": "semicolon", "\t": "tab"}.get(table.delimiter, repr(table.delimiter))
    decimal = ", decimal comma" if table.decimal == "," else ""
    lines = [f"Using **{prepared.n_rows_used:,}** of {prepared.n_rows_read:,} rows "
             f"({delimiter}-separated{decimal}, {table.encoding})."]
    if prepared.n_rows_dropped:
        reasons = ", ".join(f"{count} {reason}" for reason, count in prepared.drop_reasons.items())
        lines.append(f"Dropped {prepared.n_rows_dropped:,} rows with unusable values ({reasons}).")
    skipped = [c for c in table.skipped_columns if c != prepared.label]
    if skipped:
        lines.append("Skipped non-numeric columns: " + ", ".join(f"'{markdown_literal(c)}'" for c in skipped) + ".")
    if prepared.labels is not None:
        classes = prepared.labels.classes
        shown = ", ".join(markdown_literal(c) for c in classes[:8]) + (", …" if len(classes) > 8 else "")
        lines.append(f"Labels from '{markdown_literal(prepared.label)}': {len(classes)} classes ({shown}).")
    with st.expander("Uploaded data: " + " ".join(lines[:1]).replace("**", ""), expanded=False):
        for line in lines:
            st.markdown(line)
        st.dataframe(pd.DataFrame(prepared.preview), width="stretch", hide_index=True)
    if prepared.n_rows_dropped:
        st.caption(" ".join(lines[1:2]))

