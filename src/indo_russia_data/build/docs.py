"""README sections generated from the models and the built data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..schema import TABLES
from ..validation.report import CODES

BEGIN = "<!-- BEGIN GENERATED: {name} (indo-russia-data build; do not edit) -->"
END = "<!-- END GENERATED: {name} -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def data_dictionary() -> str:
    out = []
    for name, spec in TABLES.items():
        out.append(f"### `{name}`\n\n{spec.description} Primary key: `{spec.primary_key}`.")
        if spec.foreign_keys:
            refs = ", ".join(f"`{fk.column}` → `{fk.table}.{fk.ref}`" for fk in spec.foreign_keys)
            out.append(f"Foreign keys: {refs}.")
        out.append("\n| column | type | required | description |\n|---|---|---|---|")
        for c in spec.columns:
            kind = c.kind + (" (derived)" if c not in spec.raw_columns else "")
            desc = c.description
            if c.enum:
                desc += " Values: " + ", ".join(f"`{v}`" for v in c.enum) + "."
            if c.pattern:
                desc += f" Pattern: `{c.pattern}`."
            if c.minimum is not None:
                desc += f" Minimum: {c.minimum:g}."
            out.append(f"| `{c.name}` | {kind} | {'yes' if c.required else ''} | {_cell(desc)} |")
        out.append("")
    return "\n".join(out).strip()


def error_codes() -> str:
    rows = ["| code | meaning |", "|---|---|"]
    rows += [f"| `{code}` | {_cell(text)} |" for code, text in CODES.items()]
    return "\n".join(rows)


def inventory(counts: Mapping[str, int], extra: Mapping[str, Any]) -> str:
    rows = ["| table | rows | what a row is |", "|---|---|---|"]
    for name, spec in TABLES.items():
        rows.append(f"| `{name}` | {counts[name]} | {_cell(spec.description)} |")
    lines = ["\n".join(rows), ""]
    for key, value in extra.items():
        lines.append(f"- {key}: {value}")
    return "\n".join(lines).strip()


def replace_section(text: str, name: str, body: str) -> str:
    begin, end = BEGIN.format(name=name), END.format(name=name)
    if begin not in text or end not in text:
        raise KeyError(f"README.md lacks the markers for the generated section {name!r}")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}\n{end}{tail}"


SQL_EXAMPLES = (
    ("Contracts signed at annual summits, with the city where each summit was held:",
     "SELECT c.system, c.contract_date, c.quantity, c.value, c.value_unit, e.city AS signed_in\n"
     "    FROM defence_contracts c JOIN events e USING (event_id)\n"
     "    WHERE e.event_type = 'annual_summit' ORDER BY c.contract_date"),
    ("Every claim about the AK-203 contract's quantity, with its source (the canonical row shows the\n"
     "`is_preferred` one and marks the quantity disputed):",
     "SELECT cl.value_as_stated, cl.qualifier, cl.is_preferred, s.publisher, s.published_date\n"
     "    FROM claims cl JOIN sources s USING (source_id)\n"
     "    WHERE cl.contract_id = 'dc-ak203-2021' AND cl.field = 'quantity' ORDER BY s.published_date, cl.claim_id"),
    ("What was signed during Putin's visit of December 2021: `occasion_id` groups the summit with the 2+2\n"
     "dialogue and the defence commission held the same day, so one join finds agreements and contracts\n"
     "from all three (`status` tells what was signed from what was only agreed):",
     "SELECT e.event_type, 'agreement' AS kind, a.title AS what, a.status, a.signed_date AS dated\n"
     "    FROM events e JOIN agreements a USING (event_id) WHERE e.occasion_id = 'occ-2021-12-putin-new-delhi'\n"
     "    UNION ALL SELECT e.event_type, 'contract', c.system, c.status, c.contract_date\n"
     "    FROM events e JOIN defence_contracts c USING (event_id) WHERE e.occasion_id = 'occ-2021-12-putin-new-delhi'\n"
     "    ORDER BY 1, 2, 3"),
)


def sql_examples(folder: Any) -> str | None:
    """The README's SQL examples with their real output over the Parquet files in ``folder``
    (None when duckdb is not installed)."""
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return None
    from ..access.sql import format_table, query

    out = []
    for intro, sql in SQL_EXAMPLES:
        columns, rows = query(sql, folder)
        out.append(f"{intro}\n\n```text\n$ indo-russia-data sql \"{sql}\"\n{format_table(columns, rows)}\n```")
    return "\n\n".join(out)
