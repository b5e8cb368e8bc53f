"""Hostile uploads shared by the data, AppTest, browser tests and bench/bench_hostile_uploads.py.

Each function returns the bytes of one file that once froze the server or raised a traceback.
"""

from __future__ import annotations

MB = 1024 * 1024


def twenty_mb_single_line() -> bytes:
    """20 MB on one line, 5 million fields: once `_csv.Error: field larger than field limit (131072)`."""
    return ",".join(["1.5"] * (5 * MB + 1)).encode()


def unclosed_quotes(n_bytes: int, delimiter: str = ",") -> bytes:
    """A small CSV whose last line is `,"a` repeated: quotes that never close, which made
    csv.Sniffer's regular expressions cost the square of the line length (48 KB: 10-15 s)."""
    head = f"x{delimiter}y\n1{delimiter}2\n3{delimiter}4\n"
    return (head + f'{delimiter}"a' * ((n_bytes - len(head)) // 3)).encode()


def tiny_cells(n_bytes: int) -> bytes:
    """`1,2` lines up to n_bytes: the most cells a file of that size can hold."""
    return b"x,y\n" + b"1,2\n" * ((n_bytes - 4) // 4)


def text_cells(n_bytes: int) -> bytes:
    """`a,b` lines up to n_bytes: every cell is text, the slowest kind to classify."""
    return b"x,y\n" + b"a,b\n" * ((n_bytes - 4) // 4)


# Names a column, a file or a label could carry, each aimed at a renderer the app feeds:
# Streamlit Markdown (images, links, colour and icon directives, LaTeX, emoji shortcodes, autolinks),
# Plotly's HTML subset and hover templates, and spreadsheets opening an exported CSV.
HOSTILE_NAMES = (
    "![pix](http://evil.example/track.png)",
    "[clickme](http://evil.example/)",
    "<a href='http://evil.example/'>clickme</a>",
    "<span style='font-size:60px;color:red'>BIG</span>",
    "<img src='http://evil.example/i.png'>",
    ":red[alarm] :material/warning:",
    "$x^2$ and $$y$$",
    ":smile: :+1:",
    "**bold** _it_ `code` ~~gone~~",
    "http://evil.example/auto www.evil.example a@evil.example",
    "%{x} %{y:.2f} <br> &amp; \\",
    '=HYPERLINK("http://evil.example")',
    "# heading > quote",
)
