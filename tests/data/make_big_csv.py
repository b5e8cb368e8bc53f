"""Regenerate tests/data/big_100k.csv: 100,000 points (x, y) from a fixed 3-component 2-D Gaussian mixture.

Run from anywhere: `python tests/data/make_big_csv.py`. The seed is fixed, so the output is
byte-for-byte reproducible with the same numpy; the generated file is committed as well.
"""

from pathlib import Path

import numpy as np

SEED = 20240501
N_ROWS = 100_000
WEIGHTS = np.array([0.5, 0.3, 0.2])
MEANS = np.array([[0.0, 0.0], [5.0, 3.0], [-3.0, 6.0]])  # (3, 2)
COVS = np.array([
    [[1.0, 0.3], [0.3, 0.8]],
    [[1.5, -0.6], [-0.6, 1.0]],
    [[0.6, 0.0], [0.0, 2.0]],
])  # (3, 2, 2)
OUT = Path(__file__).resolve().parent / "big_100k.csv"


def main() -> None:
    rng = np.random.default_rng(SEED)
    labels = rng.choice(len(WEIGHTS), size=N_ROWS, p=WEIGHTS)  # (N,)
    points = np.empty((N_ROWS, 2))
    for k in range(len(WEIGHTS)):
        idx = np.flatnonzero(labels == k)
        points[idx] = rng.multivariate_normal(MEANS[k], COVS[k], size=idx.size)
    # 4 decimals keeps the file small (~1.5 MB) while staying far finer than the spread.
    with OUT.open("w", newline="\n") as f:
        f.write("x,y\n")
        f.writelines(f"{x:.4f},{y:.4f}\n" for x, y in points)


if __name__ == "__main__":
    main()
