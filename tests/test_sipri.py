"""`indo-russia-data sipri`: reading SIPRI's exports and reconciling them with our contracts.

The SIPRI extracts live beside the checkout in ../shared/reference/sipri (never in this repository:
SIPRI's terms forbid redistributing its rows).
"""

import csv
import json

import pytest

from indo_russia_data.access import sipri, sipri_report
from indo_russia_data.access.sipri_read import DELIVERIES, REGISTER, SipriFileError, read

from conftest import ROOT, run_cli

SIPRI = ROOT.parent / "shared" / "reference" / "sipri"
REGISTER_2025 = SIPRI / "sipri_trade_register_india_from_russia_ussr.csv"
DELIVERIES_2025 = SIPRI / "sipri_deliveries_by_year_india_from_russia_1995_2024.csv"
DELIVERIES_2024 = SIPRI / "sipri_deliveries_by_year_india_from_ussr_russia_1950_2023.csv"
TIV_TABLES = sorted(SIPRI.glob("sipri_tiv_table_*.csv"))

pytestmark = pytest.mark.skipif(not REGISTER_2025.exists(),
                                reason=f"SIPRI reference extracts not found in {SIPRI} (a copy of shared/ "
                                       "beside the checkout)")


def pairs(result):
    """(designation, order year, contract ids) of every match."""
    return {(d.designation, d.order_year, tuple(c.contract_id for c in m.contracts))
            for m in result.matches for d in m.deals}


def matched_to(result, designation, year):
    found = [tuple(c.contract_id for c in m.contracts) for m in result.matches for d in m.deals
             if d.designation == designation and d.order_year == year]
    assert len(found) <= 1
    return found[0] if found else None


@pytest.fixture(scope="module")
def register():
    return sipri.reconcile(read(REGISTER_2025))


def test_reads_the_register(register):
    f = register.sipri
    assert (f.layout, f.header_line, f.rows_read, len(f.deals)) == (REGISTER, 1, 305, 305)
    s400 = next(d for d in f.deals if d.designation == "S-400 Triumf")
    assert (s400.order_year, s400.ordered, s400.delivery_years, s400.tiv) == (2018, 10, (2021, 2022, 2023), 650)
    assert s400.comments.startswith("INR390 b")
    su7 = f.deals[0]  # '?' flags in the unnamed columns: order year uncertain
    assert (su7.designation, su7.order_year, su7.order_year_uncertain) == ("Su-7B", 1970, True)


def test_register_matches(register):
    # a deal we record in stages (agreement, approval, contract) is one match with several members
    assert matched_to(register, "S-400 Triumf", 2018) == ("dc-s400-2018", "dc-s400-iga-2016", "dc-s400-dac-2018")
    # T-90S: the 2001 import, the 2006 licence (with its 2019 extension), the 2007 order, the 2019 order of 464
    assert matched_to(register, "T-90S", 2001) == ("dc-t90s-2001", "dc-t90s-iga-2000")
    assert matched_to(register, "T-90S", 2006) == ("dc-t90s-licence-2006", "dc-t90s-licence-extension-2019")
    assert matched_to(register, "T-90S", 2007) == ("dc-t90s-347-2007",)
    assert matched_to(register, "T-90S", 2019) == ("dc-t90ms-464-2019", "dc-t90ms-464-approval-2019",
                                                   "dc-t90ms-464-dac-2016")
    # Project 1135.6: SIPRI names the class, Talwar
    assert matched_to(register, "Talwar", 1997) == ("dc-frigates-1135-6-1997",)
    assert matched_to(register, "Talwar", 2006) == ("dc-frigates-1135-6-2006",)
    # Su-30MKI licensed production: SIPRI's Su-30MK of 2001, 'Su-30 MKI version', our contract of Dec 2000
    assert matched_to(register, "Su-30MK", 2001) == ("dc-su30mki-licence-2000", "dc-su30mki-licence-iga-2000")
    match = next(m for m in register.matches if m.contracts[0].contract_id == "dc-su30mki-licence-2000")
    assert [link.rule for link in match.links] == ["sipri-comment"]
    assert "order year 2001 vs contract 2000" in match.links[0].why()


def test_one_sipri_deal_in_two_rows_is_one_match(register):
    match = next(m for m in register.matches if m.contracts[0].contract_id == "dc-su30mki-1996")
    assert sorted((d.designation, d.ordered) for d in match.deals) == [("Su-30K", 18), ("Su-30MK", 22)]


def test_no_contract_matches_two_unrelated_deals(register):
    ids = [c.contract_id for m in register.matches for c in m.contracts]
    assert len(ids) == len(set(ids))
    deals = [d.ref for m in register.matches for d in m.deals]
    assert len(deals) == len(set(deals))
    for m in register.matches:  # several SIPRI rows in one match are parts of one order
        assert len({d.order_year for d in m.deals}) == 1
        assert len({sipri.norm(d.designation) for d in m.deals}) == len(m.deals)
    matched = {d.ref for m in register.matches for d in m.deals}
    assert not matched & {d.ref for d in register.sipri_only}
    assert len(matched) + len(register.sipri_only) == len(register.sipri.deals)


def test_sipri_only_biggest_first(register):
    tivs = [d.tiv or 0 for d in register.sipri_only]
    assert tivs == sorted(tivs, reverse=True)
    assert (register.sipri_only[0].designation, register.sipri_only[0].order_year) == ("MiG-21bis", 1976)
    only = {(d.designation, d.order_year) for d in register.sipri_only}
    assert {("MiG-21PF", 1962), ("T-72M1", 1980), ("Project-61ME", 1975)} <= only


def test_ours_only_reasons(register):
    reasons = {c.contract_id: why for c, why in register.ours_only}
    assert reasons["dc-ak203-2021"].startswith("small arms")
    assert reasons["dc-mango-2014"].startswith("ammunition")
    assert "refits" in reasons["dc-kilo-refit-sindhukesari-2015"]
    assert "not a firm order" in reasons["dc-t90-400-planned"]


def test_summary_counts_and_tiv_share(register):
    s = sipri_report.summary(register)
    assert s["matched"] == len(register.matches) and s["sipri_only"] == len(register.sipri_only)
    assert s["tiv_total"] == pytest.approx(sum(d.tiv or 0 for d in register.sipri.deals))
    assert s["tiv_matched"] == pytest.approx(sum(d.tiv for m in register.matches for d in m.deals))
    assert 0 < s["tiv_share_matched"] < 1
    parts = s["tiv_by_supplier"]
    assert set(parts) == {"Russia", "Soviet Union"}
    assert sum(p["tiv_total"] for p in parts.values()) == pytest.approx(s["tiv_total"])
    assert sum(p["tiv_matched"] for p in parts.values()) == pytest.approx(s["tiv_matched"])


@pytest.mark.parametrize("path, rows, deals", [(DELIVERIES_2025, 528, 137), (DELIVERIES_2024, 1117, 293)])
def test_deliveries_layouts(path, rows, deals):
    f = read(path)
    assert (f.layout, f.rows_read, len(f.deals)) == (DELIVERIES, rows, deals)
    s400 = next(d for d in f.deals if d.ref == "deal 32127")
    assert (s400.designation, s400.order_year, s400.ordered) == ("S-400 Triumf", 2018, None)
    result = sipri.reconcile(f)
    assert matched_to(result, "S-400 Triumf", 2018) == ("dc-s400-2018", "dc-s400-iga-2016", "dc-s400-dac-2018")
    assert matched_to(result, "T-90S", 2001) == ("dc-t90s-2001", "dc-t90s-iga-2000")
    assert matched_to(result, "Su-30MK", 2001) == ("dc-su30mki-licence-2000", "dc-su30mki-licence-iga-2000")
    assert matched_to(result, "Talwar -", 1997) == ("dc-frigates-1135-6-1997",)


def test_deliveries_sum_over_years():
    f = read(DELIVERIES_2025)
    with DELIVERIES_2025.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["SIPRI AT Database ID"] == "39472"]
    deal = next(d for d in f.deals if d.ref == "deal 39472")
    assert deal.delivered == sum(int(r["Numbers delivered"]) for r in rows) == 40
    assert deal.delivery_years == tuple(sorted(int(r["Delivery year"]) for r in rows))


def as_user_saves_it(src, dest):
    """SIPRI's text preamble above the header, a UTF-8 BOM and CRLF line endings."""
    preamble = ("Transfers of major weapons: Deals with deliveries or orders made for 1950 to 2024\n"
                "Note: The 'No. delivered/produced' and the 'Year(s) of deliveries' columns refer to 1950-2024\n"
                "\n"
                "Information generated: 13 March 2025\n"
                "\n")
    text = preamble + src.read_text(encoding="utf-8")
    dest.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    return dest


@pytest.mark.parametrize("src", [REGISTER_2025, DELIVERIES_2025, DELIVERIES_2024], ids=lambda p: p.stem)
def test_preamble_bom_crlf(src, tmp_path):
    saved = as_user_saves_it(src, tmp_path / "export.csv")
    plain, messy = read(src), read(saved)
    assert messy.header_line == 6 and messy.layout == plain.layout
    assert [(d.designation, d.order_year, d.tiv, d.comments) for d in messy.deals] == \
           [(d.designation, d.order_year, d.tiv, d.comments) for d in plain.deals]
    assert pairs(sipri.reconcile(messy)) == pairs(sipri.reconcile(plain))


def test_windows_1252_and_spring_2024_spellings(tmp_path):
    # older exports: cp1252, empty-named '?' columns, '(2018)' order years, '2021-2023' delivery spans
    p = tmp_path / "old.csv"
    p.write_bytes("Recipient,Supplier,Year of order,,Number ordered,,Weapon designation,Weapon description,"
                  "Number delivered,,Year(s) of delivery,Status,Comments,SIPRI TIV per unit,"
                  "SIPRI TIV for total order,SIPRI TIV of delivered weapons\r\n"
                  "India,Russia,(2018),?,10,,S-400 Triumf,SAM system,6,,2021-2023,New,\u2018deal\u2019,65,650,390\r\n"
                  "Pakistan,China,2015,,8,,Hangor,submarine,0,,,New,,,0,0\r\n".encode("cp1252"))
    f = read(p)
    assert [(d.designation, d.order_year, d.order_year_uncertain) for d in f.deals] == [("S-400 Triumf", 2018, True)]
    assert f.deals[0].comments == "\u2018deal\u2019" and dict(f.dropped) == {"supplier is China": 1}
    assert f.deals[0].delivery_years == (2021, 2022, 2023)
    assert matched_to(sipri.reconcile(f), "S-400 Triumf", 2018) == ("dc-s400-2018", "dc-s400-iga-2016", "dc-s400-dac-2018")


def contract(cid, system, year, quantity=None, related="", stage="", designation=""):
    return {"contract_id": cid, "system": system, "designation": designation, "category": "tank",
            "contract_date": f"{year}-01-01" if year else "", "quantity": quantity, "status": "signed",
            "related_contract_id": related, "stage": stage}


def register_file(tmp_path, *rows):
    p = tmp_path / "register.csv"
    head = ("Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,"
            "Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI TIV for total order,"
            "SIPRI TIV of delivered weapons\n")
    p.write_text(head + "".join(f"India,Russia,{y}, ,{n}, ,{d},tank,{n}, ,{y + 2},New,{c},4,{4 * n},{4 * n}\n"
                                for y, n, d, c in rows), encoding="utf-8")
    return read(p)


def test_stages_are_one_match_and_rules_are_conservative(tmp_path):
    f = register_file(tmp_path, (2010, 100, "T-90S", ""), (2015, 50, "T-90S", ""), (2020, 30, "Su-30MK", ""),
                      (2021, 12, "Su-30MK", ""), (2019, 464, "T-90S", ""), (2004, 16, "MiG-29SMT", ""))
    ours = sipri.load_contracts([
        contract("dc-a", "T-90S tanks", 2009, 100, designation="T-90S"),
        contract("dc-a-amend", "T-90S tanks, price revised", 2011, 100, related="dc-a", stage="amendment"),
        contract("dc-b", "T-90S tanks", 2013, 50),  # two years off: no match
        contract("dc-c", "Su-30MKI fighters", 2020, 31),  # model variant, but quantities differ: no match
        contract("dc-d", "Su-30MKI fighters", 2021, 12),  # model variant with the same quantity: a match
        contract("dc-e", "Invar missiles for T-90S tanks", 2010, 100),  # T-90S is the platform here
        contract("dc-f", "T-90 tanks", 2019, 464, designation="T-90MS"),  # a sibling, not an extension: no
        contract("dc-g", "MiG-29 fleet upgrade", 2004, 15, designation="MiG-29UPG"),  # one aircraft apart: no
    ])
    r = sipri.reconcile(f, ours)
    assert pairs(r) == {("T-90S", 2010, ("dc-a", "dc-a-amend")), ("Su-30MK", 2021, ("dc-d",))}
    assert [link.rule for m in r.matches for link in m.links] == ["designation", "variant+quantity"]
    assert {c.contract_id for c, _ in r.ours_only} == {"dc-b", "dc-c", "dc-e", "dc-f", "dc-g"}


def test_a_version_named_by_sipri_overrules_a_variant_guess(register):
    # SIPRI's ten Su-30MK of 1998 are 'Su-30MKI version'; our ten of 1998 are Su-30K: not one deal
    assert matched_to(register, "Su-30MK", 1998) is None
    assert "dc-su30k-1998" in {c.contract_id for c, _ in register.ours_only}


def test_sipri_only_deals_on_our_gap_list(tmp_path):
    f = register_file(tmp_path, (1980, 600, "T-72M1", ""), (1986, 44, "MiG-29", ""))
    gaps = [{"gap_id": "gap-dc-t72m1-1980", "kind": "defence_contract", "subject": "T-72M1 tanks", "year": "1981"},
            {"gap_id": "gap-dc-mig29-1990", "kind": "defence_contract", "subject": "MiG-29 fighters", "year": "1990"}]
    r = sipri.reconcile(f, sipri.load_contracts([]), gaps)
    assert r.on_gap_list == {"line 2": "gap-dc-t72m1-1980"}  # the MiG-29 gap is four years off
    assert "(on our gap list: gap-dc-t72m1-1980)" in sipri_report.to_text(r)
    assert sipri_report.summary(r)["sipri_only_on_gap_list"] == 1


def test_cli_json_is_documented_shape():
    out = run_cli("sipri", str(REGISTER_2025), "--format", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) == {"sipri_file", "year_tolerance", "rules", "matches", "sipri_only", "ours_only", "summary",
                        "credit", "tiv_note"}
    assert doc["year_tolerance"] == 1 and doc["credit"].startswith("Information from the SIPRI Arms Transfers")
    s400 = next(m for m in doc["matches"] if m["contracts"][0]["contract_id"] == "dc-s400-2018")
    assert s400["differences"]["quantity"] == {"sipri": [10], "ours": [5]}
    assert s400["differences"]["delivery_years"] == {"sipri": [2021, 2022, 2023], "ours_first": 2021}
    assert doc["summary"]["matched"] == len(doc["matches"])


def test_cli_text_and_csv():
    text = run_cli("sipri", str(REGISTER_2025))
    assert text.returncode == 0 and "Information from the SIPRI Arms Transfers Database" in text.stdout
    assert "matched contracts cover" in text.stdout.splitlines()[-4]
    assert text.stdout.splitlines()[-3].startswith("TIV matched by SIPRI supplier: Soviet Union 0.0% of")
    table = run_cli("sipri", str(DELIVERIES_2025), "--format", "csv")
    rows = list(csv.DictReader(table.stdout.splitlines()))
    assert {r["kind"] for r in rows} == {"match", "sipri_only", "ours_only"}
    s400 = "dc-s400-2018; dc-s400-iga-2016; dc-s400-dac-2018"
    assert any(r["kind"] == "match" and r["sipri_ref"] == "deal 32127" and r["contract_ids"] == s400 for r in rows)


@pytest.mark.parametrize("path", TIV_TABLES, ids=lambda p: p.stem)
def test_tiv_tables_are_refused_clearly(path):
    out = run_cli("sipri", str(path))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "is a SIPRI TIV table" in out.stderr and "not a trade register or deliveries file" in out.stderr


@pytest.mark.parametrize("content, needle", [
    ("a,b,c\n1,2,3\n", "is not a SIPRI trade register or deliveries file"),
    ("", "is not a SIPRI trade register or deliveries file"),
    ("Recipient,Supplier,Year of order,Weapon designation,SIPRI TIV for total order\n"
     "India,Russia,2018,S-400,650\nIndia,Russia,soon,S-400,650\n", "line 3: Year of order is 'soon', not a year"),
    ("Recipient,Supplier,Year of order,Weapon designation,SIPRI TIV for total order\n"
     "India,Russia,2018,S-400,lots\n", "line 2: SIPRI TIV for total order is 'lots', not a number"),
    ("Recipient,Supplier,Year of order,Weapon designation,SIPRI TIV for total order\n"
     "India,France,2016,Rafale,1800\n",
     "no deals from Russia or the Soviet Union to India (1 rows: supplier is France)"),
    ('Recipient,Supplier\n"India,Russia\n', "is not a SIPRI trade register"),
    ("Recipient,Supplier,Year of order,Weapon designation,SIPRI TIV for total order\n"
     "India,Russia,2018,S-400,inf\n", "line 2: SIPRI TIV for total order is 'inf', not a finite number"),
    ("Recipient,Supplier,Year of order,Number ordered,Weapon designation,SIPRI TIV for total order\n"
     "India,Russia,2018,1.5,S-400,650\n", "line 2: Number ordered is '1.5', not a whole number"),
    ("Recipient,Supplier,Year of order,Number ordered,Weapon designation,SIPRI TIV for total order\n"
     "India,Russia,2018,1e400,S-400,650\n", "line 2: Number ordered is '1e400', not a finite number"),
])
def test_bad_files_exit_2_with_a_reason(tmp_path, content, needle):
    p = tmp_path / "download.csv"
    p.write_text(content, encoding="utf-8")
    out = run_cli("sipri", str(p))
    assert out.returncode == 2 and needle in out.stderr and "Traceback" not in out.stderr
    with pytest.raises(SipriFileError):
        read(p)


def test_unrelated_files_exit_2():
    for path in (ROOT / "raw" / "claims.csv", ROOT / "src" / "indo_russia_data" / "data" / "claims.parquet"):
        out = run_cli("sipri", str(path))
        assert out.returncode == 2 and "Traceback" not in out.stderr and str(path) in out.stderr


def test_nothing_from_sipri_is_written(tmp_path):
    data = ROOT / "src" / "indo_russia_data" / "data"
    before = {p.name: p.stat().st_mtime_ns for p in data.iterdir()}
    assert run_cli("sipri", str(REGISTER_2025), cwd=tmp_path).returncode == 0
    assert {p.name: p.stat().st_mtime_ns for p in data.iterdir()} == before and not any(tmp_path.iterdir())
