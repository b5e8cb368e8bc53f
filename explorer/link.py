"""What a share link carries: only the settings its viewer needs, and nothing of an uploaded file
unless the upload is the source and the user has been told.

Pure Python (no streamlit). `link_settings` is what the address bar and the share box write;
`upload_traces` says, in words, what of an uploaded file a link would reveal (its column names,
starting means read from its values); `without_upload_traces` is the same view without them.
"""

from __future__ import annotations

from dataclasses import replace

from .settings import DEFAULTS, Settings

# The settings each data source reads; a link to another source leaves them at their defaults.
SOURCE_SETTINGS = {
    "tight": ("data_seed",),
    "overlap": ("data_seed",),
    "blobs": ("blob_k", "blob_n", "blob_dim", "blob_separation", "blob_anisotropy", "data_seed"),
    "faithful": (),
    "iris": (),
    "upload": ("columns", "label", "standardise"),
    "draw": ("points", "blob_dim"),
}
_ALL_SOURCE_SETTINGS = {name for names in SOURCE_SETTINGS.values() for name in names}


def link_settings(settings: Settings) -> Settings:
    """The settings a link to this view needs: those the data source reads, and the starting means
    only while the initialisation is manual. (A link of an upload still carries its columns.)"""
    unused = _ALL_SOURCE_SETTINGS - set(SOURCE_SETTINGS.get(settings.source, ()))
    if settings.init != "manual":
        unused.add("manual_means")
    return replace(settings, **{name: getattr(DEFAULTS, name) for name in unused})


def upload_traces(settings: Settings) -> list[str]:
    """What a link to this view reveals of an uploaded file, as phrases (empty for any other source).

    The column names are the user's own text; the caller escapes them for its medium.
    """
    shared = link_settings(settings)
    if shared.source != "upload":
        return []
    traces = []
    if shared.columns:
        names = " and ".join(f"'{name}'" for name in shared.columns)
        traces.append(f"the name{'s' if len(shared.columns) > 1 else ''} of your file's column"
                      f"{'s' if len(shared.columns) > 1 else ''} {names}")
    if shared.label:
        traces.append(f"the name of your label column '{shared.label}'")
    if shared.manual_means:
        n = len(shared.manual_means)
        traces.append(f"{n} starting mean{'s' if n > 1 else ''} read from your file's values")
    return traces


def without_upload_traces(settings: Settings) -> Settings:
    """The same view with nothing of the uploaded file: whoever opens it picks the columns (the first
    numeric ones by default) and the label column, and, with manual initialisation, places the starting means again."""
    return replace(link_settings(settings), columns=DEFAULTS.columns, label=DEFAULTS.label,
                   manual_means=DEFAULTS.manual_means)
