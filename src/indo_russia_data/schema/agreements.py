"""``agreements``: agreements, MoUs, joint statements, programmes."""

from __future__ import annotations

from typing import Literal

from .columns import Date, DatePrecision, Int, Text, column
from .rules import Ordered, PrecisionFits
from .table import ForeignKey, Row, Table
from .vocab import id_pattern

AgreementType = Literal[
    "agreement", "mou", "joint_statement", "programme", "protocol", "declaration", "contract",
    "commission", "other",
]
Domain = Literal[
    "defence", "trade", "customs", "energy", "nuclear", "space", "science_technology", "culture",
    "health", "transport", "finance", "political", "other",
]
PartyType = Literal["government", "business", "mixed"]
AgreementStatus = Literal["signed", "adopted", "agreed", "announced", "under_negotiation", "expected"]


class Agreement(Row):
    agreement_id: Text = column("Stable id of the agreement.", pattern=id_pattern("agr"))
    title: Text = column("Title as the source gives it (a descriptive title in plain words when it gives none).")
    agreement_type: AgreementType = column(
        "agreement, mou, joint_statement, programme (long-term programme), protocol, declaration, contract, "
        "commission (a body announced), other.")
    domain: Domain = column("Main field the document covers.")
    parties: Text | None = column("Parties or signatories as the source names them, ';'-separated.")
    party_type: PartyType | None = column(
        "government: between governments, ministries or state agencies; business: between companies, "
        "banks or business bodies; mixed: a government body with a company.")
    event_id: Text | None = column("Event where it was signed or adopted (events.event_id).")
    signed_date: Date | None = column("Date signed, adopted or announced (first day of the period if imprecise).")
    date_precision: DatePrecision | None = column("Precision of `signed_date`.")
    valid_from_year: Int | None = column("First year of the period it covers (2021 for 2021-2031).", minimum=1900)
    valid_to_year: Int | None = column("Last year of the period it covers.", minimum=1900)
    status: AgreementStatus = column(
        "signed/adopted: done; agreed: the sides agreed to it or to negotiate it; announced; "
        "under_negotiation; expected: reported as due to be signed.")
    source_id: Text = column("Main source for this row (sources.source_id).")
    note: Text | None = column("Context a reader needs.")

    rules = (
        Ordered("valid_from_year", "valid_to_year", code="ird/bounds-order"),
        PrecisionFits("signed_date", "date_precision"),
    )


TABLE = Table(
    name="agreements",
    title="Agreements",
    description="Agreements, memoranda, joint statements, long-term programmes and announced commissions, "
    "with the event where they were signed.",
    model=Agreement,
    primary_key="agreement_id",
    foreign_keys=(
        ForeignKey("event_id", "events", "event_id"),
        ForeignKey("source_id", "sources", "source_id"),
    ),
)
