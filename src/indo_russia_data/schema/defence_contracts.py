"""``defence_contracts``: arms contracts between Russia and India."""

from __future__ import annotations

from typing import Literal

from .columns import Date, DatePrecision, Int, Text, column
from .rules import PrecisionFits
from .table import Figure, ForeignKey, Row, Table
from .vocab import id_pattern

Category = Literal[
    "air_defence", "fighter_aircraft", "helicopter", "tank", "armoured_vehicle", "frigate", "submarine",
    "aircraft_carrier", "rifle", "missile", "engine", "artillery", "ammunition", "radar", "torpedo",
    "transport_aircraft", "ship", "other",
]
Production = Literal["import", "licensed_production", "joint_venture", "lease", "mixed", "upgrade", "refit"]
Stage = Literal["intergovernmental_agreement", "approval", "contract", "amendment", "option", "delivery"]
ContractStatus = Literal["planned", "agreed", "approved", "signed", "in_delivery", "delivered", "cancelled"]


class DefenceContract(Row):
    contract_id: Text = column("Stable id of the contract.", pattern=id_pattern("dc"), example="dc-s400-2018")
    system: Text = column("Weapon system, as commonly named.")
    designation: Text | None = column(
        "Model designations of the system as the sources write them, ';'-separated (e.g. 'T-90S; T-90SK'); "
        "used to line contracts up with other registers such as SIPRI's.")
    category: Category = column("Kind of system.")
    supplier: Text = column("Supplying country or company.")
    recipient: Text = column("Receiving country or service.")
    contract_date: Date | None = column("Date the contract was signed (approved, for approved contracts).")
    date_precision: DatePrecision | None = column("Precision of `contract_date`.")
    production: Production | None = column(
        "import: built in Russia; licensed_production: built in India under licence; "
        "joint_venture: built in India by an Indo-Russian company; lease; mixed; upgrade: modernisation of "
        "systems India already has; refit: repair and overhaul.")
    stage: Stage | None = column(
        "Which step of a deal this row records: intergovernmental_agreement, approval (cleared by the Indian "
        "government), contract (signed), amendment (a revision of price or scope), option (a follow-on order "
        "under an earlier contract), delivery. Each step of one deal is its own row, linked by "
        "`related_contract_id`.")
    related_contract_id: Text | None = column(
        "The row of the same deal this step follows from (defence_contracts.contract_id), e.g. the contract "
        "an amendment revises.")
    production_site: Text | None = column("Where in India it is produced, for production in India.")
    status: ContractStatus = column(
        "planned: reported as intended; agreed: terms agreed, not yet signed; approved: cleared by the Indian "
        "government; signed; in_delivery; delivered; cancelled. As of the latest source.")
    delivery_start_year: Int | None = column("Year the first deliveries began.", minimum=1950)
    event_id: Text | None = column("Event where it was signed or announced (events.event_id).")
    source_id: Text = column("Main source for this row (sources.source_id).")
    note: Text | None = column("Context a reader needs.")

    rules = (PrecisionFits("contract_date", "date_precision"),)


TABLE = Table(
    name="defence_contracts",
    title="Defence contracts",
    description="Russian defence contracts with India: system, date, quantity, value as stated, production "
    "arrangement and status. Quantities and values come from claims.",
    model=DefenceContract,
    primary_key="contract_id",
    foreign_keys=(
        ForeignKey("event_id", "events", "event_id"),
        ForeignKey("source_id", "sources", "source_id"),
        ForeignKey("related_contract_id", "defence_contracts", "contract_id"),
    ),
    figures=(
        Figure("quantity", "Number of units contracted.", integer=True),
        Figure("value", "Contract value in the currency the source states."),
    ),
)
