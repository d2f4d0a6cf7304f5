"""Property tests: the validator never crashes, and agrees with the per-row pydantic models."""

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indo_russia_data.schema import TABLES
from indo_russia_data.validation.known_ids import Keys
from indo_russia_data.validation.reference import validate_rows_reference
from indo_russia_data.validation.report import InputError
from indo_russia_data.validation.validator import validate

from conftest import ROOT

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _raw_rows(table: str) -> tuple[list[str], list[list[str]]]:
    with open(ROOT / "raw" / f"{table}.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


# Tables written by hand in raw/ (commodity_trade comes only from raw/snapshots/).
RAW_TABLES = [name for name, spec in TABLES.items() if not spec.from_snapshots]


def _keys() -> Keys:
    known = {}
    for name in RAW_TABLES:
        spec = TABLES[name]
        _, rows = _raw_rows(name)
        header, _ = _raw_rows(name)
        i = header.index(spec.primary_key)
        known[name] = {r[i] for r in rows}
    return Keys(known=known, taken={})


KEYS = _keys()


# Tables with rows in raw/ to mutate (a new table may still be empty).
WITH_ROWS = [name for name in RAW_TABLES if _raw_rows(name)[1]]


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def located(report):
    """Whole problems, wording included: both validators word every problem alike."""
    return sorted(((p.line, p.column, p.code, p.message) for p in report.errors), key=repr)


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(WITH_ROWS))
def test_arbitrary_bytes_give_a_report_or_an_input_error(data, table):
    try:
        report = validate(data, table, keys=KEYS)
    except InputError as exc:
        assert str(exc)
    else:
        assert isinstance(report.valid, bool)


# Cells that probe the grammar: types, enums, patterns, formulas, quoting, edge dates.
NASTY = st.sampled_from([
    "", " ", "0", "-1", "+5", "5.", ".5", "1e5", "1e999", "abc", "2021-02-30", "2021-02-28", "0000-01-01",
    "2021-1-1", "true", "True", "day", "month", "year", "india", "fiscal_year", "=1+1", "@x", "-x",
    "\tx", 'a "quoted" word', "line\nbreak", "comma, inside", "evt-summit-2021", "src-nope",
    "FY2021-22", "2021", "clm-x", "TF-X", "99999999999999999999", "é", "\u00a0", "USD", "items",
])


@st.composite
def mutated(draw):
    table = draw(st.sampled_from(WITH_ROWS))
    header, rows = _raw_rows(table)
    rows = [list(r) for r in rows[: draw(st.integers(1, min(8, len(rows))))]]
    for _ in range(draw(st.integers(0, 6))):
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(header) - 1))
        rows[r][c] = draw(NASTY | st.text(max_size=12))
    if draw(st.booleans()):
        rows.append(list(rows[0]))  # a duplicate id
    return table, header, rows


@SETTINGS
@given(mutated())
def test_vectorised_validator_agrees_with_per_row_models(case):
    table, header, rows = case
    data = _csv(header, rows)
    fast = validate(data, table, keys=KEYS)
    slow = validate_rows_reference(data, table, keys=KEYS)
    assert located(fast) == located(slow)


@st.composite
def stray_quotes(draw):
    """Rows written by hand, with quote characters inside unquoted cells (``12" gun``)."""
    table = draw(st.sampled_from(WITH_ROWS))
    header, rows = _raw_rows(table)
    simple = [r for r in rows if all(not set(c) & set(',"\n\r') for c in r)][:6]
    if not simple:
        simple = [[c.replace(",", ";").replace('"', "").replace("\n", " ") for c in rows[0]]]
    lines = []
    for r in simple:
        cells = list(r)
        for _ in range(draw(st.integers(0, 3))):
            c = draw(st.integers(0, len(cells) - 1))
            if cells[c]:
                p = draw(st.integers(1, len(cells[c])))
                cells[c] = cells[c][:p] + '"' + cells[c][p:]
        lines.append(",".join(cells))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return table, (ending.join([",".join(header), *lines]) + ending).encode("utf-8")


@SETTINGS
@given(stray_quotes())
def test_stray_quotes_are_read_like_pythons_csv(case):
    table, data = case
    assert located(validate(data, table, keys=KEYS)) == located(validate_rows_reference(data, table, keys=KEYS))


@SETTINGS
@given(mutated(), st.sampled_from([64, 300, 1500]), st.integers(10, 60))
def test_small_blocks_give_the_answer_of_one_block(case, block_size, copies):
    # Many rows in small blocks: plain blocks are parsed ahead on threads, blocks with
    # quotes go through the byte scan, and ids repeat across blocks.
    table, header, rows = case
    data = _csv(header, rows * (copies // len(rows) + 1))
    streamed = validate(data, table, keys=KEYS, block_size=block_size, max_errors=10**6)
    assert located(streamed) == located(validate_rows_reference(data, table, keys=KEYS))


@st.composite
def raw_text_rows(draw):
    """Rows typed by hand with no CSV quoting at all: quotes, commas and line breaks anywhere."""
    table = draw(st.sampled_from(WITH_ROWS))
    header, rows = _raw_rows(table)
    rows = [list(r) for r in rows[:5]]
    lines = []
    for _ in range(draw(st.integers(5, 40))):
        cells = [c.replace('"', "").replace(",", ";").replace("\n", " ").replace("\r", " ")
                 for c in draw(st.sampled_from(rows))]
        for _ in range(draw(st.integers(0, 3))):
            c = draw(st.integers(0, len(cells) - 1))
            p = draw(st.integers(0, len(cells[c])))
            cells[c] = cells[c][:p] + draw(st.sampled_from(['"', '""', '"""', ",", "\n", "\r", "\r\n", '",', ',"'])) \
                + cells[c][p:]
        lines.append(",".join(cells))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return table, (ending.join([",".join(header), *lines]) + ending).encode("utf-8")


@SETTINGS
@given(raw_text_rows(), st.sampled_from([64, 200, 700, 1 << 20]))
def test_blocks_are_cut_where_pythons_csv_ends_a_record(case, block_size):
    table, data = case
    got = validate(data, table, keys=KEYS, block_size=block_size, max_errors=10**6)
    assert located(got) == located(validate_rows_reference(data, table, keys=KEYS))
