"""Every error code in the README's table is produced by some input, and no input produces another."""

import pytest

from indo_russia_data.validation.known_ids import shipped_keys
from indo_russia_data.validation.reference import validate_rows_reference
from indo_russia_data.validation.report import CODES
from indo_russia_data.validation.validator import validate

from conftest import ROOT

TF = "figure_id,reporter,flow,measure,period_type,period_label,period_start,period_end,event_id,source_id,note"
TF_ROW = "tf-new-{n},india,total,value,fiscal_year,FY2001-02,2001-04-01,2002-03-31,,src-indiabriefing-2021-12-modi-putin,"
CL = ("claim_id,source_id,contract_id,figure_id,event_id,agreement_id,field,value_as_stated,value,value_low,"
      "value_high,qualifier,unit,value_text,value_date,date_precision,attributed_to,note")
CL_ROW = "clm-new-{n},src-theprint-2021-11-putin-visit,dc-s400-2018,,,,quantity,five units,{v},,,exact,{u},,,,,"
SRC = "source_id,publisher,title,author,published_date,published_precision,date_basis,url,kind,language,note"
SRC_ROW = "src-new-{n},Publisher,Title,,{d},{p},dateline,{url},news,en,{note}"


def tf(*rows: str, header: str = TF) -> bytes:
    return (header + "\n" + "".join(r + "\n" for r in rows)).encode("utf-8")


def row(**change: str) -> str:
    cells = dict(zip(TF.split(","), TF_ROW.format(n=change.pop("n", "1")).split(","), strict=False))
    cells.update(change)
    return ",".join(cells[c] for c in TF.split(","))


# One input per code: (table, bytes). Each must produce its code (and may produce others).
INPUTS = {
    "encoding-error": ("trade_figures", tf(row()).replace(b"Publisher", b"") + b"tf-x,\xff\xfe\n"),
    "source-error": ("trade_figures", tf(row(), 'tf-new-2,india,total,value,fiscal_year,"FY2001-02')),
    "missing-label": ("trade_figures", tf(row().rsplit(",", 1)[0], header=TF.rsplit(",", 1)[0])),
    "extra-label": ("trade_figures", tf(row() + ",x", header=TF + ",extra")),
    "duplicate-label": ("trade_figures", tf(row() + ",", header=TF + ",note")),
    "blank-row": ("trade_figures", tf(row(), "", row(n="2"))),
    "missing-cell": ("trade_figures", tf("tf-new-1,india,total")),
    "extra-cell": ("trade_figures", tf(row() + ",x")),
    "type-error": ("trade_figures", tf(row(period_start="2001-13-01"))),
    "constraint-error": ("trade_figures", tf(row(flow="sideways"))),
    "primary-key": ("trade_figures", tf(row(), row())),
    "foreign-key": ("trade_figures", tf(row(source_id="src-nowhere"))),
    "ird/formula-injection": ("trade_figures", tf(row(note="=HYPERLINK(1)"))),
    "ird/date-order": ("trade_figures", tf(row(period_type="partial", period_label="x", period_start="2001-05-01",
                                              period_end="2001-04-01"))),
    "ird/period-label": ("trade_figures", tf(row(period_label="FY2001-2"))),
    "ird/partial-period": ("trade_figures", tf(row(period_type="partial", period_label="Apr 2001-Mar 2002"))),
    "ird/control-character": ("trade_figures", tf(row(note="a\x1bb"))),
    "ird/out-of-range": ("claims", (CL + "\n" + CL_ROW.format(n=1, v="5e307", u="USD") + "\n").encode()),
    "ird/whole-number": ("claims", (CL + "\n" + CL_ROW.format(n=1, v="4.5", u="items") + "\n").encode()),
    "ird/required-when": ("claims", (CL + "\n" + CL_ROW.format(n=1, v="5", u="") + "\n").encode()),
    "ird/claim-target": ("claims", (CL + "\n" + CL_ROW.format(n=1, v="5", u="items").replace(
        "dc-s400-2018,,,,", "dc-s400-2018,,evt-summit-2021,,") + "\n").encode()),
    "ird/unknown-field": ("claims", (CL + "\n" + CL_ROW.format(n=1, v="5", u="items").replace(
        ",quantity,", ",colour,") + "\n").encode()),
    "ird/date-precision": ("sources", (SRC + "\n" + SRC_ROW.format(n=1, d="2021-11-05", p="month",
                                                                   url="https://example.org/a", note="") + "\n").encode()),
    "ird/unexplained-gap": ("sources", (SRC + "\n" + SRC_ROW.format(n=1, d="2021-11-05", p="day", url="",
                                                                    note="") + "\n").encode()),
    "ird/bounds-order": ("agreements", None),  # built below from a real agreements row
}


def _agreement_bounds() -> bytes:
    lines = (ROOT / "raw" / "agreements.csv").read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1]
    cells = header.split(",")
    import csv
    import io

    values = next(csv.reader([first]))
    values[0] = "agr-new-bounds-test"
    values[cells.index("valid_from_year")] = "2030"
    values[cells.index("valid_to_year")] = "2020"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([cells, values])
    return out.getvalue().encode("utf-8")


INPUTS["ird/bounds-order"] = ("agreements", _agreement_bounds())
KEYS = shipped_keys()


def test_the_table_and_the_inputs_name_the_same_codes():
    assert set(INPUTS) == set(CODES)


@pytest.mark.parametrize("code", sorted(INPUTS))
def test_each_code_is_produced_by_its_input(code):
    table, data = INPUTS[code]
    report = validate(data, table, keys=KEYS)
    codes = {p.code for p in report.problems}
    assert code in codes, report.to_text()
    assert codes <= set(CODES), codes - set(CODES)


@pytest.mark.parametrize("code", sorted(c for c in INPUTS if c not in (
    "encoding-error", "missing-label", "extra-label", "duplicate-label")))  # the reference reads no header rules
def test_the_reference_words_each_problem_alike(code):
    table, data = INPUTS[code]
    fast = validate(data, table, keys=KEYS)
    slow = validate_rows_reference(data, table, keys=KEYS)
    assert sorted(map(repr, fast.problems)) == sorted(map(repr, slow.problems))
