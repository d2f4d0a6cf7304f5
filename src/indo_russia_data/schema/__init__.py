"""Table definitions: one module per table, registered here in dependency order."""

from __future__ import annotations

from . import agreements, claims, commodity_trade, defence_contracts, events, gaps, sources, trade_figures
from .table import Table

# Order matters: a table comes after the tables its foreign keys point at.
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        sources.TABLE,
        events.TABLE,
        agreements.TABLE,
        defence_contracts.TABLE,
        trade_figures.TABLE,
        claims.TABLE,
        gaps.TABLE,
        commodity_trade.TABLE,
    )
}


def _check_references(tables: dict[str, Table]) -> None:
    """Each foreign key names an earlier table and that table's primary key."""
    from .table import TableDefinitionError

    seen: list[str] = []
    for name, spec in tables.items():
        for fk in spec.foreign_keys:
            if fk.table not in tables or (fk.table not in seen and fk.table != name):
                raise TableDefinitionError(f"{name}: foreign key {fk.column!r} points at {fk.table!r}, which is "
                                           "not a table defined before it")
            if fk.ref != tables[fk.table].primary_key:
                raise TableDefinitionError(f"{name}: foreign key {fk.column!r} must point at "
                                           f"{fk.table}.{tables[fk.table].primary_key}, not {fk.ref!r}")
        seen.append(name)


_check_references(TABLES)


class UnknownTableError(KeyError):
    def __str__(self) -> str:
        import difflib

        close = difflib.get_close_matches(str(self.args[0]), list(TABLES), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown table {self.args[0]!r}{hint} (the tables are: {', '.join(TABLES)})"


def get_table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise UnknownTableError(name) from None


__all__ = ["TABLES", "Table", "get_table", "UnknownTableError"]
