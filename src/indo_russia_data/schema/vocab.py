"""Controlled vocabularies shared by several tables."""

from typing import Literal

Unit = Literal["USD", "INR", "RUB", "EUR", "items", "percent"]
Qualifier = Literal["exact", "approximate", "lower_bound", "upper_bound", "range"]
Country = Literal["India", "Russia", "Brazil", "China", "Other"]

ID_PATTERN = r"^{prefix}-[a-z0-9]+(-[a-z0-9]+)*$"


def id_pattern(prefix: str) -> str:
    """Readable, stable ids: a table prefix and lowercase words joined by '-'."""
    return ID_PATTERN.format(prefix=prefix)
