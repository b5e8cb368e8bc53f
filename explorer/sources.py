"""The works the app follows, named in full: a visitor cannot look up "article 1"."""

from __future__ import annotations

# Bishop's EM on two tight 2-D clusters, started from random data points.
ARTICLE_2D = "Gaussian Mixture Models & Expectation Maximization"
# EM on 1-D data: two overlapping Gaussians, hard assignments, and how the start decides the end.
ARTICLE_1D = "Introduction to the Expectation-Maximization Algorithm"
BISHOP = ("Christopher M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006, "
          "chapter 9 (Mixture Models and EM)")


def quoted(title: str) -> str:
    """A title as the app cites it in running text."""
    return f"“{title}”"


# Which article each bundled example comes from (data sources and the worked examples share the keys' meaning).
EXAMPLE_SOURCES = {"tight": ARTICLE_2D, "overlap": ARTICLE_1D, "2d": ARTICLE_2D, "1d": ARTICLE_1D}
