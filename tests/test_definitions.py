"""Table definitions are checked when made, and every part of them reaches an output."""

import dataclasses

import pytest

from indo_russia_data.access.metadata import LABELS, SORTS
from indo_russia_data.build import docs
from indo_russia_data.schema import TABLES, _check_references
from indo_russia_data.schema.arrow_schema import arrow_schema
from indo_russia_data.schema.table import ForeignKey, TableDefinitionError
from indo_russia_data.schema.table_schema import table_schema


def test_a_misspelt_primary_key_fails_when_the_table_is_defined():
    with pytest.raises(TableDefinitionError, match="primary_key 'sorce_id' is not a column.*did you mean 'source_id'"):
        dataclasses.replace(TABLES["sources"], primary_key="sorce_id")


def test_a_misspelt_foreign_key_column_fails():
    spec = TABLES["defence_contracts"]
    bad = (*spec.foreign_keys, ForeignKey("evnt_id", "events", "event_id"))
    with pytest.raises(TableDefinitionError, match="foreign key column 'evnt_id'.*did you mean 'event_id'"):
        dataclasses.replace(spec, foreign_keys=bad)


def test_a_foreign_key_must_name_a_table_before_it_and_its_key():
    tables = dict(TABLES)
    spec = tables["events"]
    tables["events"] = dataclasses.replace(spec, foreign_keys=(ForeignKey("source_id", "sources", "url"),))
    with pytest.raises(TableDefinitionError, match="must point at sources.source_id"):
        _check_references(tables)
    tables["events"] = dataclasses.replace(spec, foreign_keys=(ForeignKey("source_id", "claims", "claim_id"),))
    with pytest.raises(TableDefinitionError, match="not a table defined before it"):
        _check_references(tables)


def test_a_rule_on_a_missing_column_fails():
    from indo_russia_data.schema.rules import Ordered

    spec = TABLES["agreements"]
    model = type("Broken", (spec.model,), {"rules": (Ordered("valid_from_yr", "valid_to_year"),)})
    with pytest.raises(TableDefinitionError, match="valid_from_yr"):
        dataclasses.replace(spec, model=model)


@pytest.mark.parametrize("name", list(TABLES))
def test_every_column_rule_and_figure_reaches_the_outputs(name):
    spec = TABLES[name]
    fields = [f["name"] for f in table_schema(spec)["fields"]]
    assert fields == [c.name for c in spec.columns] == arrow_schema(spec, "0").names
    dictionary = docs.data_dictionary()
    for column in spec.columns:
        assert f"| `{column.name}` |" in dictionary
    for fig in spec.figures:
        assert {fig.name, f"{fig.name}_qualifier", f"{fig.name}_claim_id"} <= set(fields)
    codes = docs.error_codes()
    for rule in spec.rules:
        assert f"`{rule.code}`" in codes, (name, rule)
    assert name in SORTS and SORTS[name][0] in fields
    assert name not in LABELS or LABELS[name] in fields
