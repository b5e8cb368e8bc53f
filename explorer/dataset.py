"""Resolve the user's data choice into one Dataset: the points, their names and any known truth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import data_sources
import gmm_core

from .drawing import Drawing
from .sources import EXAMPLE_SOURCES, quoted
from .truth import class_mixture


@dataclass(frozen=True, eq=False)
class Dataset:
    """The data a fit runs on.

    X : ndarray of shape (n_samples, n_features)
    truth : the generating mixture for synthetic data; for labelled data (iris, an upload with a label
        column) the classes as a mixture (explorer.truth.class_mixture); else None
    labels : ndarray of shape (n_samples,), the generating component or each point's class, else None
    class_names : the classes' names for labelled data (labels index them), () otherwise
    label_name : what the labels are called ('species'), '' for synthetic data
    shared_unit : both features are measured in the same unit (synthetic and drawn data), so the
        figure draws them at the same scale; False for Old Faithful and uploads
    """

    X: np.ndarray
    feature_names: tuple[str, ...]
    description: str
    truth: gmm_core.GaussianMixtureParams | None = None
    labels: np.ndarray | None = None
    shared_unit: bool = True
    class_names: tuple[str, ...] = ()
    label_name: str = ""

    @property
    def labelled(self) -> bool:
        """True when the truth is the classes of a label column, not a generating mixture."""
        return bool(self.class_names)


def synthetic_dataset(
    source: str,
    data_seed: int = 0,
    blob_k: int = 3,
    blob_n: int = 500,
    blob_dim: int = 2,
    blob_separation: float = 4.0,
    blob_anisotropy: float = 1.0,
) -> Dataset:
    """The article presets ('tight', 'overlap') and random blobs ('blobs'), drawn from `data_seed`.

    Takes exactly the settings named in `explorer.settings.SYNTHETIC_FIELDS`."""
    if source == "tight":
        data = gmm_core.two_tight_clusters(seed=data_seed)
    elif source == "overlap":
        data = gmm_core.two_overlapping_gaussians(seed=data_seed)
    elif source == "blobs":
        data = gmm_core.random_blobs(
            n_components=blob_k,
            n_samples=blob_n,
            n_features=blob_dim,
            separation=blob_separation,
            anisotropy=blob_anisotropy,
            seed=data_seed,
        )
    else:
        raise ValueError(f"{source!r} is not a synthetic source")
    d = data.X.shape[1]
    names = ("x",) if d == 1 else tuple("x" + "".join("₀₁₂₃₄₅₆₇₈₉"[int(c)] for c in str(j + 1)) for j in range(d))
    origin = f", the example of {quoted(EXAMPLE_SOURCES[source])}" if source in EXAMPLE_SOURCES else ""
    return Dataset(data.X, names, f"{data.name}{origin}: {len(data.X):,} points", data.truth, data.labels)


def faithful_dataset() -> Dataset:
    prepared = data_sources.load_old_faithful()
    return Dataset(
        prepared.X,
        tuple(prepared.columns),
        f"Old Faithful: {len(prepared.X)} eruptions (duration and waiting time, minutes)",
        shared_unit=False,
    )


def iris_dataset() -> Dataset:
    # All four measurements are in cm, so the figure draws any pair at one scale.
    return _labelled(data_sources.load_iris(), "Fisher's iris: 150 flowers, 4 measurements (cm), 3 species",
                     shared_unit=True)


def prepared_dataset(prepared, filename: str) -> Dataset:
    """A Dataset from `data_sources.prepare_columns` output (an uploaded CSV)."""
    unit = " (standardised)" if prepared.center is not None else ""
    truth = f", labels from {prepared.label}" if prepared.labels is not None else ""
    return _labelled(prepared, f"{filename}: {prepared.n_rows_used:,} rows of {', '.join(prepared.columns)}{unit}"
                               f"{truth}")


def _labelled(prepared, description: str, shared_unit: bool = False) -> Dataset:
    """Data from a file, with its classes as the truth when it has a usable label column."""
    labels = prepared.labels
    if labels is None:
        return Dataset(prepared.X, tuple(prepared.columns), description, shared_unit=shared_unit)
    return Dataset(prepared.X, tuple(prepared.columns), description, truth=class_mixture(prepared.X, labels.codes),
                   labels=labels.codes, shared_unit=shared_unit, class_names=labels.classes,
                   label_name=prepared.label)


def drawn_dataset(encoded: str, dimension: int) -> Dataset:
    """The points drawn by hand (source 'draw'); an empty canvas of `dimension` while there are none."""
    drawing = Drawing.decode(encoded) if encoded else Drawing.empty(dimension)
    names = ("x",) if drawing.dim == 1 else ("x₁", "x₂")
    count = f"{drawing.n_points:,} point{'' if drawing.n_points == 1 else 's'}"
    return Dataset(drawing.points, names, f"Your drawing ({drawing.dim}-D): {count}")
