"""Datasette ``metadata.json``, generated from the same models as every other output."""

from __future__ import annotations

from typing import Any

from ..schema import TABLES
from ..schema.datapackage import DATA_LICENSE
from ..schema.table import Table

DATABASE = "indo_russia_data"  # Datasette names a database after its file
TITLE = "India-Russia bilateral relations"
DESCRIPTION = (
    "Defence contracts, trade figures, agreements and the summits where they were made. Every figure is traced "
    "to dated sources through the claims table; conflicting claims are kept side by side."
)
SOURCE = "Dated public news and official pages, one row each in the sources table"
SOURCE_URL = f"/{DATABASE}/sources"  # the sources table itself: the package has no other home page to cite

# Default order of each table page: newest first where a table has a date, else by id.
SORTS: dict[str, tuple[str, bool]] = {
    "sources": ("published_date", True),
    "events": ("start_date", True),
    "agreements": ("signed_date", True),
    "defence_contracts": ("contract_date", True),
    "trade_figures": ("period_start", True),
    "claims": ("claim_id", False),
    "gaps": ("gap_id", False),
    "commodity_trade": ("period_start", True),
}
# Shown in place of a bare id where another table links to a row.
LABELS = {
    "sources": "publisher",  # always given; about a fifth of the sources have no title
    "events": "name",
    "agreements": "title",
    "defence_contracts": "system",
    "trade_figures": "period_label",
    "commodity_trade": "product_name",
}


def table_metadata(spec: Table) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "title": spec.title,
        "description": spec.description,
        "license": DATA_LICENSE["name"],
        "license_url": DATA_LICENSE["path"],
        "columns": {c.name: c.description for c in spec.columns},
    }
    units = {c.name: c.unit for c in spec.columns if c.unit}
    if units:
        meta["units"] = units
    if spec.name in SORTS:
        column, desc = SORTS[spec.name]
        meta["sort_desc" if desc else "sort"] = column
    if spec.name in LABELS:
        meta["label_column"] = LABELS[spec.name]
    return meta


def metadata() -> dict[str, Any]:
    """The whole metadata document for ``datasette -m metadata.json``."""
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "license": DATA_LICENSE["name"],
        "license_url": DATA_LICENSE["path"],
        "source": SOURCE,
        "source_url": SOURCE_URL,
        "databases": {DATABASE: {"tables": {name: table_metadata(spec) for name, spec in TABLES.items()}}},
    }
