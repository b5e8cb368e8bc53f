"""What the user can do on the figure, given the settings: the player's `interaction` entry.

    tools  'add' and 'erase' on a drawing, 'means' with init='manual', 'edit' (turn a preset into a
           drawing to edit); mode: the tool a click uses at first ('view': clicks do nothing)
    placed the starting means so far; bounds: where they may go (the data's range)
    grid   where drawn points may go
"""

from __future__ import annotations

import numpy as np

from explorer.dataset import Dataset
from explorer.drawing import Drawing
from explorer.settings import Settings
from explorer.starting_means import data_bounds

from .drawing_panel import EDITABLE_SOURCES


def interaction(settings: Settings, dataset: Dataset) -> dict:
    drawing = settings.source == "draw"
    manual = settings.init == "manual" and len(dataset.X) > 0
    tools = (["add", "erase"] if drawing else []) + (["means"] if manual else [])
    if settings.source in EDITABLE_SOURCES:
        tools.append("edit")
    mode = "add" if drawing else "means" if manual else "view"
    entry = {"mode": mode, "tools": tools}
    if manual:
        entry.update(placed=[list(row) for row in settings.manual_means],
                     bounds=[list(b) for b in data_bounds(dataset.X)])
    if drawing:
        current = Drawing.decode(settings.points) if settings.points else Drawing.empty(settings.blob_dim)
        entry["grid"] = [list(b) for b in current.grid_box()]
    return {"interaction": entry}


def too_few_points(settings: Settings, dataset: Dataset) -> str | None:
    """What to do when a drawing has fewer distinct points than k, else None."""
    distinct = len(np.unique(dataset.X, axis=0)) if len(dataset.X) else 0
    if distinct >= settings.k:
        return None
    have = "no points yet" if distinct == 0 else f"{distinct} distinct point{'' if distinct == 1 else 's'}"
    return (f"EM needs at least k = {settings.k} distinct points and the drawing has {have}: click on the plot to "
            "add points, or lower k.")
