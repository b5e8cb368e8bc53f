"""Resolve the user's data choice into one Dataset: the points, their names and any known truth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import data_sources
import gmm_core

from .drawing import Drawing


@dataclass(frozen=True, eq=False)
class Dataset:
    """The data a fit runs on.

    X : ndarray of shape (n_samples, n_features), n_features in {1, 2}
    truth : the generating mixture for synthetic data, else None
    labels : ndarray of shape (n_samples,), the generating component (synthetic only)
    shared_unit : both features are measured in the same unit (synthetic and drawn data), so the
        figure draws them at the same scale; False for Old Faithful and uploads
    """

    X: np.ndarray
    feature_names: tuple[str, ...]
    description: str
    truth: gmm_core.GaussianMixtureParams | None = None
    labels: np.ndarray | None = None
    shared_unit: bool = True


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
    return Dataset(data.X, names, f"{data.name}: {len(data.X):,} points", data.truth, data.labels)


def faithful_dataset() -> Dataset:
    prepared = data_sources.load_old_faithful()
    return Dataset(
        prepared.X,
        tuple(prepared.columns),
        f"Old Faithful: {len(prepared.X)} eruptions (duration and waiting time, minutes)",
        shared_unit=False,
    )


def prepared_dataset(prepared, filename: str) -> Dataset:
    """A Dataset from `data_sources.prepare_columns` output (an uploaded CSV)."""
    unit = " (standardised)" if prepared.center is not None else ""
    return Dataset(
        prepared.X,
        tuple(prepared.columns),
        f"{filename}: {prepared.n_rows_used:,} rows of {', '.join(prepared.columns)}{unit}",
        shared_unit=False,
    )


def drawn_dataset(encoded: str, dimension: int) -> Dataset:
    """The points drawn by hand (source 'draw'); an empty canvas of `dimension` while there are none."""
    drawing = Drawing.decode(encoded) if encoded else Drawing.empty(dimension)
    names = ("x",) if drawing.dim == 1 else ("x₁", "x₂")
    count = f"{drawing.n_points:,} point{'' if drawing.n_points == 1 else 's'}"
    return Dataset(drawing.points, names, f"Your drawing ({drawing.dim}-D): {count}")
