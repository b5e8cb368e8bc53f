"""Turn an uploaded CSV or a bundled dataset into a clean float array for EM fitting.

Pure pandas, Arrow (pandas' string backend) and numpy; no streamlit, no plotly. Every problem
with the user's data is raised as DataError with a one-sentence message the page can show as-is.

    table = parse_csv(raw_bytes, filename)              # -> ParsedTable
    data = prepare_columns(table, ["x", "y"], standardise=False)   # -> PreparedData, data.X (n, d)
    data = prepare_columns(table, ["a", "b", "c"], label="species")  # -> data.labels: each row's class
    data = load_old_faithful()                          # -> PreparedData, X (272, 2)
    data = load_iris()                                  # -> PreparedData, X (150, 4), labels: species
"""

from .bundled import load_iris, load_old_faithful
from .columns import PreparedData, prepare_columns
from .csv_reader import ParsedTable, parse_csv
from .decoding import MAX_UPLOAD_MB
from .errors import DataError
from .labels import LabelColumn

__all__ = [
    "DataError",
    "LabelColumn",
    "MAX_UPLOAD_MB",
    "ParsedTable",
    "PreparedData",
    "load_iris",
    "load_old_faithful",
    "parse_csv",
    "prepare_columns",
]
