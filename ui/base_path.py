"""Streamlit's `server.baseUrlPath` as the prefix of this server's URLs."""

from __future__ import annotations


def url_prefix(base_url_path: str | None) -> str:
    """The empty string when the app is served at the root, else "/<base>" (one leading slash, none trailing)."""
    base = (base_url_path or "").strip("/")
    return f"/{base}" if base else ""
