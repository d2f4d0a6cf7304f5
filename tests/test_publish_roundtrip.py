"""Property: for any file `validate` accepts, `build` publishes the same cells, and the published
CSV and Parquet read back to exactly those rows (issue 12). Fuzzed with quotes, commas, every
line ending, control characters, unclosed quotes and cells beyond Python's csv field limit."""

import csv
import io
import sys

import pyarrow.csv as pcsv
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indo_russia_data.build.pipeline import read_valid, to_csv, to_parquet, typed_rows
from indo_russia_data.schema import TABLES
from indo_russia_data.schema.csv_cells import csv_cell
from indo_russia_data.validation.known_ids import Keys

SPEC = TABLES["sources"]
NAMES = [c.name for c in SPEC.raw_columns]
KEYS = Keys()
SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces that break CSV readers and writers, and ordinary text; the bad ones (which the
# validator must refuse) drawn rarely enough that most files are valid.
GOOD = [",", '"', '""', " ", "é", "₹", "a", "Report", '12" gun', "x" * 140_000]
BREAKS = ["\n", "\r\n"]
BAD = ["\r", "\t", "\x00", "\x1b", "\u202e"]
TITLE = st.lists(st.sampled_from(GOOD * 12 + BREAKS + BAD), max_size=6).map("".join)
NOTE = st.lists(st.sampled_from(GOOD * 6 + BREAKS * 6 + BAD), max_size=6).map("".join)


def _quote(cell: str, style: str) -> str:
    if style == "all" or any(c in cell for c in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@st.composite
def files(draw):
    rows = []
    for i in range(draw(st.integers(1, 4))):
        rows.append([f"src-fuzz-{i}", "P" + draw(TITLE), draw(TITLE), "", "2021-01-01", "day", "dateline",
                     draw(st.sampled_from(["https://example.org/a"] * 8 + ["https:///etc/passwd"])),
                     "news", "en", "n" + draw(NOTE)])
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    style = draw(st.sampled_from(["minimal", "all"]))
    body = end.join(",".join(_quote(c, style) for c in r) for r in [NAMES, *rows])
    tail = draw(st.sampled_from([end] * 6 + ["", ',"unclosed' + end, '"']))
    return (body + tail).encode("utf-8"), rows


def _python_reading(data: bytes) -> list[list[str]]:
    limit = csv.field_size_limit(sys.maxsize)
    try:
        return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))[1:]
    finally:
        csv.field_size_limit(limit)


@SETTINGS
@given(files())
def test_what_validate_accepts_is_published_intact(case):
    data, _ = case
    report, cells = read_valid(data, SPEC, KEYS)
    if not report.valid:
        return
    expected = _python_reading(data)
    assert [[c[n] for n in NAMES] for c in cells] == expected  # the validator read what Python's csv reads
    rows = typed_rows(cells, SPEC)
    published = to_csv(SPEC, rows)
    names = [c.name for c in SPEC.columns]
    raw_at = [names.index(n) for n in NAMES]
    back = _python_reading(published)
    assert [[r[i] for i in raw_at] for r in back] == expected
    arrow = pcsv.read_csv(io.BytesIO(published), convert_options=pcsv.ConvertOptions(
        column_types={n: "string" for n in names}, strings_can_be_null=False),
        parse_options=pcsv.ParseOptions(newlines_in_values=True)).to_pylist()
    assert [[r[n] for n in NAMES] for r in arrow] == expected
    parquet = pq.read_table(io.BytesIO(to_parquet(SPEC, rows))).to_pylist()
    assert [[csv_cell(r[n]) for n in NAMES] for r in parquet] == expected


def test_the_fuzzer_reaches_valid_files_with_hard_cells():
    # A fixed case the property must cover: quotes, a comma, CRLF in a note, a cell over 128 KB.
    note = 'said "yes", then\r\nleft ' + "x" * 140_000
    data = ("\r\n".join([",".join(NAMES),
                         "src-a-1,Pub,\"A \"\"quoted\"\", title\",,2021-01-01,day,dateline,https://example.org/a,news,en,"
                         + _quote(note, "minimal")]) + "\r\n").encode()
    report, cells = read_valid(data, SPEC, KEYS)
    assert report.valid, report.to_text()
    published = to_csv(SPEC, typed_rows(cells, SPEC))
    assert _python_reading(published)[0][NAMES.index("note")] == note
