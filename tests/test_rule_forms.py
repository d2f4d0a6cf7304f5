"""Each row rule is written twice, per row (``fails``) and vectorised (``check_batch``): on generated
rows, nulls included, plain or dictionary-encoded, the two must give the same answer for every rule
of every table."""

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indo_russia_data.schema import TABLES

RULES = [(name, k, rule) for name, spec in TABLES.items() for k, rule in enumerate(spec.rules)]
TEXT = ["FY2020-21", "FY2020-2", "2021", "Apr-Aug 2022", "x", "india", "value", "partial", "fiscal_year",
        "calendar_year", "quantity", "value_low", "dc-s400-2018", "USD", "items", "day", "month", "year", "exact",
        "lower_bound", "range", "documents_signed"]
DATES = [dt.date(2020, 4, 1), dt.date(2021, 3, 31), dt.date(2021, 1, 1), dt.date(2021, 12, 31), dt.date(2021, 6, 15),
         dt.date(2020, 4, 2), dt.date(2022, 3, 31)]


def _values(column):
    if column.enum:
        base = st.sampled_from(column.enum)
    elif column.kind == "integer":
        base = st.integers(1990, 2035)
    elif column.kind == "number":
        base = st.sampled_from([0.0, 4.5, 5.0, 600000.0, 1e9, -1.0])
    elif column.kind == "date":
        base = st.sampled_from(DATES)
    elif column.kind == "boolean":
        base = st.booleans()
    else:
        base = st.sampled_from(TEXT)
    return st.none() | base


ARROW = {"integer": pa.int64(), "number": pa.float64(), "date": pa.date32(), "boolean": pa.bool_(), "string": pa.string()}


@pytest.mark.parametrize("table, k, rule", RULES, ids=[f"{t}-{type(r).__name__}-{k}" for t, k, r in RULES])
def test_row_and_batch_forms_agree(table, k, rule):
    columns = {c.name: c for c in TABLES[table].raw_columns}
    names = list(rule.columns())
    row_strategy = st.fixed_dictionaries({n: _values(columns[n]) for n in names})

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(row_strategy, min_size=1, max_size=12), st.booleans())
    def check(rows, encoded):
        arrays = {n: pa.array([r[n] for r in rows], ARROW[columns[n].kind]) for n in names}
        if encoded:  # the validator hands most columns over dictionary-encoded
            arrays = {n: a.dictionary_encode() if columns[n].kind != "boolean" else a for n, a in arrays.items()}
        batch = rule.check_batch(arrays)
        per_row = [bool(rule.fails(r)) for r in rows]
        assert list(map(bool, batch)) == per_row, (rows, list(batch))

    check()
