"""Issue 12, input side: what `validate` accepts, `build` publishes intact; the stated rules hold."""

import csv
import io

import pytest

from indo_russia_data.build.pipeline import to_csv
from indo_russia_data.schema import TABLES
from indo_russia_data.validation.known_ids import Keys, read_ids
from indo_russia_data.validation.validator import submission_keys, validate

# Imported where used, so that the other tests also run (and fail) on the code before issue 12.
from conftest import run_cli

SRC_HEADER = "source_id,publisher,title,author,published_date,published_precision,date_basis,url,kind,language,note"
TRADE_HEADER = "figure_id,reporter,flow,measure,period_type,period_label,period_start,period_end,event_id,source_id,note"
SRC = "src-ht-2021-12-06-jaishankar-lavrov"
CLAIM_HEADER = ("claim_id,source_id,contract_id,figure_id,event_id,agreement_id,field,value_as_stated,value,"
                "value_low,value_high,qualifier,unit,value_text,value_date,date_precision,attributed_to,note")
KEYS = Keys(known={"sources": {SRC}, "defence_contracts": {"dc-x"}, "events": {"evt-x"},
                   "trade_figures": {"tf-x"}, "agreements": set()})


def source_row(title="A title", note="", url="https://example.org/a", sid="src-a-1"):
    cells = [sid, "Pub", title, "", "2021-01-01", "day", "dateline", url, "news", "en", note]
    quoted = ['"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\r\n') else c for c in cells]
    return ",".join(quoted) + "\n"


def located(report):
    return [(p.line, p.column, p.code) for p in report.errors]


def claim(**kw):
    row = dict.fromkeys(CLAIM_HEADER.split(","), "")
    row.update(claim_id="clm-a", source_id=SRC, contract_id="dc-x", field="quantity",
               value_as_stated="4.5 units", value="4.5", qualifier="exact", unit="items")
    row.update(kw)
    return (CLAIM_HEADER + "\n" + ",".join(row.values()) + "\n").encode()


# ---------------------------------------------------------------- the central promise


def test_a_lone_carriage_return_in_a_quoted_cell_is_refused():
    data = (SRC_HEADER + "\n" + source_row(title="before\rafter")).encode()
    assert located(validate(data, "sources", keys=KEYS)) == [(2, "title", "ird/control-character")]


def test_the_published_csv_quotes_a_carriage_return():
    # Even if one got through, the writer must not split the row.
    spec = TABLES["gaps"]
    rows = [{c.name: "x" for c in spec.columns}]
    rows[0][spec.columns[-1].name] = "a\rb"
    back = list(csv.reader(io.StringIO(to_csv(spec, rows).decode(), newline="")))
    assert len(back) == 2 and back[1][-1] == "a\rb"


def test_an_unclosed_quote_in_the_last_cell_swallows_nothing():
    data = (SRC_HEADER + "\n" + source_row().rstrip("\n")[:-1] + ',"never closed\n'
            + source_row(sid="src-b-2") + source_row(sid="src-c-3")).encode()
    report = validate(data, "sources", keys=KEYS)
    assert ("source-error") in [p.code for p in report.errors]
    assert not report.valid


def test_a_cell_beyond_pythons_field_limit_is_read_like_any_other(tmp_path):
    from indo_russia_data.build.pipeline import read_valid, typed_rows

    long_note = "x" * 200_000
    path = tmp_path / "trade_figures.csv"
    rows = [f"tf-long-{i},india,total,value,calendar_year,2021,2021-01-01,2021-12-31,,{SRC},{long_note}"
            for i in range(3)]
    path.write_text(TRADE_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert read_ids(path, TABLES["trade_figures"]) == {"tf-long-0", "tf-long-1", "tf-long-2"}
    report, cells = read_valid(path, TABLES["trade_figures"], KEYS)
    assert report.valid and [len(c["note"]) for c in cells] == [200_000] * 3
    assert typed_rows(cells, TABLES["trade_figures"])[0]["note"] == long_note


def test_the_same_new_id_in_two_files_of_one_submission(tmp_path):
    row = f"tf-new-1,india,total,value,calendar_year,2021,2021-01-01,2021-12-31,,{SRC},\n"
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "trade_figures.csv").write_text(TRADE_HEADER + "\n" + row, encoding="utf-8")
    paths = [tmp_path / "a" / "trade_figures.csv", tmp_path / "b" / "trade_figures.csv"]
    keys = submission_keys(paths)
    assert isinstance(keys, list), "one Keys per file: a file's new ids are taken for the files after it"
    assert validate(paths[0], keys=keys[0]).valid
    assert located(validate(paths[1], keys=keys[1])) == [(2, "figure_id", "primary-key")]


def test_a_broken_pipe_keeps_the_exit_status(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "trade_figures.csv"  # enough problems to fill the pipe
    bad.write_text(TRADE_HEADER + "\n" + "tf-x,sideways\n" * 20000, encoding="utf-8")
    out = subprocess.run(f"'{sys.executable}' -m indo_russia_data.cli validate '{bad}' --max-errors 20000 "
                         "| head -c 1 >/dev/null; echo ${PIPESTATUS[0]}",
                         shell=True, executable="/bin/bash", capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "1", out.stderr


# ---------------------------------------------------------------- the stated rules


def test_a_count_of_four_and_a_half_units_is_refused():
    assert located(validate(claim(), "claims", keys=KEYS)) == [(2, "value", "ird/whole-number")]
    assert validate(claim(value="4", value_as_stated="4 units"), "claims", keys=KEYS).valid


def test_a_partial_period_covering_a_whole_year_is_refused():
    rows = [f"tf-a,india,total,value,partial,Apr 2021-Mar 2022,2021-04-01,2022-03-31,,{SRC},",
            f"tf-b,india,total,value,partial,Jan-Dec 2021,2021-01-01,2021-12-31,,{SRC},",
            f"tf-c,india,total,value,partial,Apr-Aug 2022,2022-04-01,2022-08-31,,{SRC},"]
    data = (TRADE_HEADER + "\n" + "\n".join(rows) + "\n").encode()
    assert located(validate(data, "trade_figures", keys=KEYS)) == [
        (2, "period_type", "ird/partial-period"), (3, "period_type", "ird/partial-period")]


def test_required_text_of_spaces_is_blank():
    data = (SRC_HEADER + "\n" + source_row().replace(",Pub,", ",   ,")).encode()
    report = validate(data, "sources", keys=KEYS)
    assert located(report) == [(2, "publisher", "constraint-error")]
    assert "blank" in report.errors[0].message


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\u202e", "\u2066", "\x7f", "\x85", "\t"])
def test_control_characters_are_refused_and_never_echoed(char):
    data = (SRC_HEADER + "\n" + source_row(title=f"a{char}b")).encode()
    report = validate(data, "sources", keys=KEYS)
    assert located(report) == [(2, "title", "ird/control-character")]
    assert char not in report.to_text()


def test_a_note_may_hold_line_breaks_but_a_title_may_not():
    ok = (SRC_HEADER + "\n" + source_row(note="line one\nline two\r\nline three")).encode()
    assert validate(ok, "sources", keys=KEYS).valid
    bad = (SRC_HEADER + "\n" + source_row(title="line one\nline two")).encode()
    assert located(validate(bad, "sources", keys=KEYS)) == [(2, "title", "ird/control-character")]


@pytest.mark.parametrize("url", ["https:///etc/passwd", "http://", "https://?x", "https:// space.org"])
def test_a_url_needs_a_host(url):
    data = (SRC_HEADER + "\n" + source_row(url=url)).encode()
    assert located(validate(data, "sources", keys=KEYS)) == [(2, "url", "constraint-error")]


def test_a_number_about_a_figure_needs_a_unit():
    report = validate(claim(value="4", unit="", qualifier=""), "claims", keys=KEYS)
    assert located(report) == [(2, "unit", "ird/required-when")]
    # An attribute number (an ordinal) has no unit.
    ordinal = claim(contract_id="", event_id="evt-x", field="ordinal", value="21", qualifier="", unit="",
                    value_as_stated="21st")
    assert validate(ordinal, "claims", keys=KEYS).valid


@pytest.mark.parametrize("value", ["5e307", "1e16", "-2e15"])
def test_numbers_beyond_range_are_refused(value):
    data = claim(field="value", value=value, unit="USD", value_as_stated="huge")
    assert located(validate(data, "claims", keys=KEYS)) == [(2, "value", "ird/out-of-range")]


def test_a_401_digit_number_as_stated_does_not_crash_the_resolver():
    from indo_russia_data.build.resolve import stated_digits

    assert stated_digits("1" * 401, 5.0) == 401


# ---------------------------------------------------------------- bounded resources


def test_only_regular_files_are_read(tmp_path):
    from indo_russia_data.validation.report import InputError

    link = tmp_path / "trade_figures.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="not a regular file"):
        validate(link, keys=KEYS)


@pytest.mark.parametrize("data, message", [
    (",".join(f"c{i}" for i in range(300_000)).encode() + b"\n", "no line break in the first 64 KB"),
    (",".join(["x"] * 5000).encode() + b"\n", "more than 1000 columns"),
    (b"x" * 3_000_000, "no line break in the first 64 KB"),
    (TRADE_HEADER.encode() + b"\n" + b"y" * 40_000_000, "a row is longer than 32 MB"),
    (TRADE_HEADER.encode() + b'\n"' + b"y\n" * 20_000_000, "a row is longer than 32 MB"),
])
def test_oversized_headers_and_rows_fail_fast(data, message):
    from indo_russia_data.validation.report import InputError

    with pytest.raises(InputError, match=message):
        validate(data, "trade_figures", keys=KEYS)


# ---------------------------------------------------------------- terminal safety


def test_messages_escape_control_characters_in_header_names_and_paths(tmp_path):
    bad = tmp_path / "trade\x1b[31mred.csv"
    bad.write_text(TRADE_HEADER + ",\x1b]0;owned\x07\u202eevil\n", encoding="utf-8")
    out = run_cli("validate", str(bad), "--table", "trade_figures")
    assert out.returncode == 1
    assert "\x1b" not in out.stdout and "\u202e" not in out.stdout and "\x07" not in out.stdout
    assert "\\x1b" in out.stdout and "\\u202e" in out.stdout
    missing = run_cli("validate", str(tmp_path / "no\x1bsuch.csv"), "--table", "claims")
    assert missing.returncode == 2 and "\x1b" not in missing.stderr


@pytest.mark.parametrize("block_size", [64, 4096])
def test_a_byte_order_mark_opening_a_row_is_not_dropped(block_size):
    # pyarrow drops a BOM at the start of its input; every block is an input.
    data = (SRC_HEADER + "\n" + source_row() + "\ufeff" + source_row(sid="src-b-2")).encode()
    report = validate(data, "sources", keys=KEYS, block_size=block_size)
    assert located(report) == [(3, "source_id", "ird/control-character")]


def test_a_line_separator_in_a_title_is_refused():
    data = (SRC_HEADER + "\n" + source_row(title="a\u2028b")).encode()
    assert located(validate(data, "sources", keys=KEYS)) == [(2, "title", "ird/control-character")]


def test_json_output_escapes_bidirectional_overrides(tmp_path):
    import json

    bad = tmp_path / "sources.csv"
    bad.write_text(SRC_HEADER + "\n" + source_row(title="a\u202eb\x7fc"), encoding="utf-8")
    out = run_cli("validate", str(bad), "--format", "json")
    assert out.returncode == 1 and "\u202e" not in out.stdout and "\x7f" not in out.stdout
    assert json.loads(out.stdout)["errors"][0]["value"] == "a\u202eb\x7fc"
