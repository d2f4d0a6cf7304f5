"""The validator: golden error lists, every class of error, agreement with the per-row models."""

import pytest

from indo_russia_data.validation.known_ids import Keys
from indo_russia_data.validation.reference import validate_rows_reference
from indo_russia_data.validation.report import InputError
from indo_russia_data.validation.validator import validate

from conftest import FIXTURES

TRADE_HEADER = "figure_id,reporter,flow,measure,period_type,period_label,period_start,period_end,event_id,source_id,note"
SRC = "src-ht-2021-12-06-jaishankar-lavrov"


def located(report):
    return [(p.line, p.column, p.code) for p in report.errors]


def test_golden_trade_figures_fixture():
    report = validate(FIXTURES / "invalid_trade_figures.csv", "trade_figures")
    assert located(report) == [
        (3, "period_label", "ird/period-label"),
        (4, "period_end", "ird/date-order"),
        (5, "figure_id", "constraint-error"),
        (5, "flow", "constraint-error"),
        (6, "period_start", "type-error"),
        (6, "period_end", "type-error"),
        (7, None, "blank-row"),
        (8, "figure_id", "primary-key"),
        (9, "event_id", "foreign-key"),
        (9, "source_id", "foreign-key"),
        (11, "note", "ird/formula-injection"),
        (12, "measure", "missing-cell"),
        (13, None, "extra-cell"),
        (14, None, "blank-row"),
        (15, "figure_id", "primary-key"),
        (16, "reporter", "constraint-error"),
        (16, "source_id", "constraint-error"),
    ]
    assert not report.valid
    assert report.errors[7].message == "id 'tf-test-ok-fy2001-02' is already used on line 2"


def test_reference_agrees_on_fixture():
    from indo_russia_data.validation.known_ids import shipped_keys

    data = (FIXTURES / "invalid_trade_figures.csv").read_bytes()
    fast = validate(data, "trade_figures")
    slow = validate_rows_reference(data, "trade_figures", keys=shipped_keys())
    assert sorted(located(fast), key=str) == sorted(located(slow), key=str)


def test_header_problems():
    text = "figure_id,reporter,reporter,colour\n"
    report = validate(text.encode(), "trade_figures")
    codes = {(p.column, p.code) for p in report.errors}
    assert ("reporter", "duplicate-label") in codes
    assert ("colour", "extra-label") in codes
    assert ("flow", "missing-label") in codes
    assert all(p.line == 1 for p in report.errors)


def test_line_numbers_count_physical_lines_in_quoted_cells():
    rows = [TRADE_HEADER,
            f'tf-a,india,total,value,calendar_year,2021,2021-01-01,2021-12-31,,{SRC},"one\ntwo\nthree"',
            f"tf-b,india,total,value,calendar_year,2020,2021-01-01,2021-12-31,,{SRC},"]
    report = validate("\n".join(rows).encode() + b"\n", "trade_figures")
    assert located(report) == [(5, "period_label", "ird/period-label")]


def test_bom_and_crlf_are_fine():
    body = f"{TRADE_HEADER}\r\ntf-a,india,total,value,calendar_year,2021,2021-01-01,2021-12-31,,{SRC},\r\n"
    report = validate(b"\xef\xbb\xbf" + body.encode(), "trade_figures")
    assert report.valid, report.to_text()
    assert report.rows == 1


def test_bytes_that_are_not_utf8_are_located():
    body = f"{TRADE_HEADER}\ntf-a,india,total,value,calendar_year,2021,2021-01-01,2021-12-31,,{SRC},caf\xe9\n"
    report = validate(body.encode("latin-1"), "trade_figures")
    assert located(report) == [(2, None, "encoding-error")]


def test_negative_number_is_fine_but_formula_text_is_not():
    header = ("claim_id,source_id,contract_id,figure_id,event_id,agreement_id,field,value_as_stated,value,"
              "value_low,value_high,qualifier,unit,value_text,value_date,date_precision,attributed_to,note")
    good = f"clm-neg,{SRC},,tf-in-total-fy2020-21,,,value,a fall of 5 per cent,-5,,,exact,percent,,,,,"
    bad = f"clm-neg2,{SRC},,tf-in-total-fy2020-21,,,value,-5%,-5,,,exact,percent,,,,,"
    report = validate(f"{header}\n{good}\n{bad}\n".encode(), "claims")
    assert located(report) == [(3, "value_as_stated", "ird/formula-injection")]


def test_claim_rules():
    header = ("claim_id,source_id,contract_id,figure_id,event_id,agreement_id,field,value_as_stated,value,"
              "value_low,value_high,qualifier,unit,value_text,value_date,date_precision,attributed_to,note")
    rows = [
        f"clm-r1,{SRC},dc-s400-2018,tf-in-total-fy2020-21,,,value,x,1,,,exact,USD,,,,,",  # two targets
        f"clm-r2,{SRC},dc-s400-2018,,,,value,x,,,,range,USD,,,,,",                         # range without bounds
        f"clm-r3,{SRC},dc-s400-2018,,,,colour,x,,,,,,red,,,,",                             # not a field
        f"clm-r4,{SRC},dc-s400-2018,,,,contract_date,x,,,,,,,2018-10-05,month,,",           # precision
        f"clm-r5,{SRC},dc-s400-2018,,,,value,x,5,,,exact,,,,,,",                            # unit missing
    ]
    report = validate(("\n".join([header, *rows]) + "\n").encode(), "claims")
    assert located(report) == [
        (2, "contract_id", "ird/claim-target"),
        (3, "value_low", "ird/required-when"),
        (3, "value_high", "ird/required-when"),
        (4, "field", "ird/unknown-field"),
        (5, "date_precision", "ird/date-precision"),
        (6, "unit", "ird/required-when"),
    ]


def test_max_errors_caps_and_counts():
    rows = [TRADE_HEADER] + [f"tf-{i},india,total,value,calendar_year,2021,bad,2021-12-31,,{SRC}," for i in range(50)]
    report = validate(("\n".join(rows) + "\n").encode(), "trade_figures", max_errors=10)
    assert len(report.errors) == 10 and report.omitted == 40
    assert report.to_dict()["omitted"] == 40


def test_dataframe_input_and_report_frame():
    import pandas as pd

    frame = pd.DataFrame([{
        "figure_id": "tf-x", "reporter": "india", "flow": "total", "measure": "value",
        "period_type": "fiscal_year", "period_label": "FY2021-22", "period_start": "2021-04-01",
        "period_end": "2022-03-30", "event_id": None, "source_id": SRC, "note": None,
    }])
    report = validate(frame, "trade_figures")
    out = report.to_frame()
    assert list(out.columns) == ["line", "column", "value", "code", "message"]
    assert out.loc[0, "code"] == "ird/period-label" and out.loc[0, "line"] == 2


def test_streaming_blocks_give_the_same_answer():
    rows = [TRADE_HEADER]
    for i in range(3000):
        label = "2021" if i % 97 else "20x1"
        rows.append(f"tf-r{i},india,total,value,calendar_year,{label},2021-01-01,2021-12-31,,{SRC},\"n\n{i}\"")
    data = ("\n".join(rows) + "\n").encode()
    whole = validate(data, "trade_figures", keys=Keys(known={"sources": {SRC}}))
    small = validate(data, "trade_figures", keys=Keys(known={"sources": {SRC}}), block_size=4096)
    assert located(whole) == located(small)
    assert [p.line for p in whole.errors][:2] == [2, 2 + 97 * 2]


def test_duplicates_across_blocks():
    rows = [TRADE_HEADER] + [f"tf-r{i % 1500},india,total,value,calendar_year,2021,2021-01-01,2021-12-31,,{SRC},"
                             for i in range(3000)]
    report = validate(("\n".join(rows) + "\n").encode(), "trade_figures",
                      keys=Keys(known={"sources": {SRC}}), block_size=8192)
    assert len(report.errors) == 1000 and report.omitted == 500
    assert report.errors[0].line == 1502 and report.errors[0].message.endswith("line 2")


@pytest.mark.parametrize("name", ["nothing.csv", "claims.txt"])
def test_unknown_table_or_missing_file_is_an_input_error(tmp_path, name):
    with pytest.raises(InputError):
        validate(tmp_path / name)


def test_empty_file_is_an_input_error(tmp_path):
    p = tmp_path / "claims.csv"
    p.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        validate(p)


def test_a_quote_inside_an_unquoted_cell_is_a_character():
    rows = [TRADE_HEADER,
            f'tf-a,india,total,value,calendar_year,2021,2021-01-01,2021-12-31,,{SRC},a 12" gun',
            f"tf-b,india,total,value,calendar_year,2020,2021-01-01,2021-12-31,,{SRC},",
            f'tf-c,india,total,value,calendar_year,2021,2021-01-01,2021-12-31,,{SRC},"quoted, with ""escapes"", fine"']
    report = validate(("\n".join(rows) + "\n").encode(), "trade_figures", keys=Keys(known={"sources": {SRC}}))
    assert located(report) == [(3, "period_label", "ird/period-label")]


def test_a_character_across_the_first_mebibyte_is_not_an_encoding_error():
    row = f"tf-x{{}},india,total,value,calendar_year,2021,2021-01-01,2021-12-31,,{SRC},₹ crore ₹\n"
    body = TRADE_HEADER + "\n" + "".join(row.format(i) for i in range(30000))
    data = body.encode()
    assert len(data) > (1 << 20)
    report = validate(data, "trade_figures", keys=Keys(known={"sources": {SRC}}))
    assert report.valid, report.errors[:3]


def test_a_duplicated_header_name_is_reported_not_fatal():
    header = TRADE_HEADER + ",note"
    row = f"tf-a,india,total,value,calendar_year,2021,2021-01-01,2021-12-31,,{SRC},x,y"
    report = validate(f"{header}\n{row}\n".encode(), "trade_figures", keys=Keys(known={"sources": {SRC}}))
    assert located(report) == [(1, "note", "duplicate-label")]


def test_long_ids_that_differ_do_not_collide():
    a = "src-" + "a" * 40 + "b" + "a" * 255 + "c"
    b = "src-" + "a" * 40 + "c" + "a" * 255 + "b"
    header = "source_id,publisher,title,author,published_date,published_precision,date_basis,url,kind,language,note"
    rows = [f"{x},P,,,2021-01-01,day,dateline,https://example.org/{i},news,en," for i, x in enumerate((a, b))]
    report = validate(("\n".join([header, *rows]) + "\n").encode(), "sources", keys=Keys())
    assert report.valid, report.errors


def test_infinite_numbers_and_a_fiscal_year_9999():
    header = ("claim_id,source_id,contract_id,figure_id,event_id,agreement_id,field,value_as_stated,value,"
              "value_low,value_high,qualifier,unit,value_text,value_date,date_precision,attributed_to,note")
    row = f"clm-inf,{SRC},,tf-in-total-fy2020-21,,,value,a lot,1e999,,,exact,USD,,,,,"
    assert located(validate(f"{header}\n{row}\n".encode(), "claims")) == [(2, "value", "type-error")]
    late = f"tf-late,india,total,value,fiscal_year,FY9999-00,9999-04-01,9999-12-31,,{SRC},"
    assert located(validate(f"{TRADE_HEADER}\n{late}\n".encode(), "trade_figures")) == [
        (2, "period_label", "ird/period-label")]


def test_max_errors_counts_header_problems_too():
    report = validate((TRADE_HEADER + ",x,y,z\n").encode(), "trade_figures", max_errors=1)
    assert len(report.errors) == 1 and report.omitted == 2


def test_a_stray_quote_before_a_comma_on_the_last_line():
    rows = [TRADE_HEADER,
            f"tf-a,india,total,value,calendar_year,2020,2021-01-01,2021-12-31,,{SRC},x",
            f'tf-b,india,total,value,calendar_year,2021,2021-01-01,2021-12-31,,{SRC},size 12"']
    data = ("\n".join(rows) + "\n").encode()
    report = validate(data, "trade_figures", keys=Keys(known={"sources": {SRC}}))
    assert located(report) == [(2, "period_label", "ird/period-label")]
    assert located(report) == located(validate_rows_reference(data, "trade_figures",
                                                              keys=Keys(known={"sources": {SRC}})))


def test_quote_free_file_with_blank_rows_crlf_and_a_ragged_row():
    # No quote anywhere: the fast path, where pyarrow's rows are the file's lines.
    good = f"tf-a,india,total,value,calendar_year,2021,2021-01-01,2021-12-31,,{SRC},"
    lines = [TRADE_HEADER, good, "", ",,,,,,,,,,", good.replace("tf-a", "tf-b").replace("2021,", "2020,", 1),
             "tf-c,india,total", good.replace("tf-a", "tf-d")]
    data = ("\r\n".join(lines) + "\r\n").encode()
    report = validate(data, "trade_figures", keys=Keys(known={"sources": {SRC}}))
    assert located(report) == [(3, None, "blank-row"), (4, None, "blank-row"), (5, "period_label", "ird/period-label"),
                               (6, "measure", "missing-cell")]
    assert report.rows == 4
    assert located(report) == located(validate_rows_reference(data, "trade_figures", keys=Keys(known={"sources": {SRC}})))


def test_a_quoted_block_between_plain_blocks():
    # Small blocks: some hold quotes (byte scan), the rest are plain (parsed ahead on threads).
    rows = [TRADE_HEADER]
    for i in range(400):
        note = '"a, b"' if 150 <= i < 160 else ""
        label = "2021" if i % 50 else "2020"
        rows.append(f"tf-r{i % 390},india,total,value,calendar_year,{label},2021-01-01,2021-12-31,,{SRC},{note}")
    data = ("\n".join(rows) + "\n").encode()
    keys = Keys(known={"sources": {SRC}})
    small = validate(data, "trade_figures", keys=keys, block_size=2048)
    assert located(small) == located(validate_rows_reference(data, "trade_figures", keys=keys))
    assert [p.line for p in small.errors if p.code == "ird/period-label"] == [2 + 50 * k for k in range(8)]
    assert [p.line for p in small.errors if p.code == "primary-key"] == list(range(392, 402))


def test_validating_does_not_import_pandas(tmp_path):
    # pyarrow imports pandas (0.2 s) the first time pa.array or pa.scalar sees a Python object.
    import subprocess
    import sys

    path = tmp_path / "trade_figures.csv"
    path.write_text(f"{TRADE_HEADER}\ntf-a,india,total,value,calendar_year,2021,2021-01-01,2021-12-31,,{SRC},=x\n")
    code = ("import sys, indo_russia_data as ird; r = ird.validate(sys.argv[1]); "
            "print(len(r.errors), 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "False"]


def test_a_header_with_an_extra_column_still_sees_blank_rows():
    good = f"tf-a,india,total,value,calendar_year,2021,2021-01-01,2021-12-31,,{SRC},,"
    data = f"{TRADE_HEADER},note\n{good}\n\n,,,,,,,,,,,\n".encode()
    report = validate(data, "trade_figures", keys=Keys(known={"sources": {SRC}}))
    assert located(report) == [(1, "note", "duplicate-label"), (3, None, "blank-row"), (4, None, "blank-row")]
    assert report.rows == 1


def test_crlf_header_cut_between_cr_and_lf():
    body = f"{TRADE_HEADER}\r\ntf-a,india,total,value,calendar_year,2020,2021-01-01,2021-12-31,,{SRC},\r\n".encode()
    cut = len(TRADE_HEADER) + 1  # the first read ends on the header's CR
    report = validate(body, "trade_figures", keys=Keys(known={"sources": {SRC}}), block_size=cut)
    assert located(report) == [(2, "period_label", "ird/period-label")]


def test_a_repeat_names_the_first_use_in_the_file():
    row = f"{{}},india,total,value,calendar_year,2021,2021-01-01,2021-12-31,,{SRC},"
    rows = [TRADE_HEADER, row.format("tf-x")] + [row.format(f"tf-r{i}") for i in range(300)] + [row.format("tf-x")] * 2
    report = validate(("\n".join(rows) + "\n").encode(), "trade_figures", keys=Keys(known={"sources": {SRC}}),
                      block_size=2048)
    assert [(p.line, p.message) for p in report.errors] == [
        (303, "id 'tf-x' is already used on line 2"), (304, "id 'tf-x' is already used on line 2")]


@pytest.mark.parametrize("block_size", [1, 64, 4096])
def test_an_unclosed_quote_at_the_end_without_a_line_break(block_size):
    # Python's csv would read the last cell as empty: a lenient reading, never accepted.
    data = (TRADE_HEADER + "\n" + "," * 10 + '"').encode()
    report = validate(data, "trade_figures", keys=Keys(known={"sources": {SRC}}), block_size=block_size)
    assert located(report) == [(2, None, "source-error")]


@pytest.mark.parametrize("block_size", [1, 2, 4096])
def test_a_bom_is_dropped_whatever_the_first_read(block_size):
    body = f"{TRADE_HEADER}\ntf-a,india,total,value,calendar_year,2020,2021-01-01,2021-12-31,,{SRC},\n"
    report = validate(b"\xef\xbb\xbf" + body.encode(), "trade_figures", keys=Keys(known={"sources": {SRC}}),
                      block_size=block_size)
    assert located(report) == [(2, "period_label", "ird/period-label")]


def test_the_reference_reports_a_header_without_the_tables_columns():
    report = validate_rows_reference(b"foo,bar\n1,2\n", "trade_figures")
    assert ("figure_id", "constraint-error") in {(p.column, p.code) for p in report.errors}
