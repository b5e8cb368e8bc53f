"""The one exception type the data layer raises for anything wrong with the user's data."""

from __future__ import annotations


class DataError(ValueError):
    """A problem with the uploaded or chosen data, explained in one student-facing sentence.

    The message says what is wrong and what to do about it; the page shows it as-is,
    so it never contains a traceback, a NaN or library jargon.
    """


def quote_names(names: list[str], limit: int = 8) -> str:
    """Format column names for a message: "'a', 'b' and 'c'", shortened after `limit` names."""
    # Very long names (a whole line read as one header) would swamp the sentence.
    quoted = [f"'{name}'" if len(name) <= 40 else f"'{name[:37]}...'" for name in names]
    if len(quoted) > limit:
        # Long lists would drown the sentence; the count is enough beyond a handful.
        return ", ".join(quoted[:limit]) + f" and {len(quoted) - limit} more"
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]
