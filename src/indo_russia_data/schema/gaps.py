"""``gaps``: records known to exist that have no row yet, and why."""

from __future__ import annotations

from typing import Literal

from .columns import Int, Text, column
from .table import ForeignKey, Row, Table
from .vocab import id_pattern

GapKind = Literal["agreement", "event", "defence_contract", "trade_figure", "other"]


class Gap(Row):
    gap_id: Text = column("Stable id of the gap.", pattern=id_pattern("gap"), example="gap-dc-r77-2001")
    kind: GapKind = column("Which table the missing record belongs in.")
    subject: Text = column("What is missing, in plain words (a document's title, a session, a weapon and year).")
    year: Int | None = column("Year the missing record belongs to, where known.", minimum=1900)
    event_id: Text | None = column("Event the missing record belongs to (events.event_id), where known.")
    known_from: Text = column(
        "How we know it exists: a source id of ours, or a reference work named without copying its rows "
        "(e.g. 'SIPRI Arms Transfers Database').")
    reason: Text = column("Why it has no row: what was searched and not found.")
    source_id: Text | None = column("A source of ours that states the record exists (sources.source_id).")


TABLE = Table(
    name="gaps",
    title="Known gaps",
    description="Records known to exist that have no row yet (summit documents, commission sessions, "
    "contracts), with how we know of them and why they are missing.",
    model=Gap,
    primary_key="gap_id",
    foreign_keys=(
        ForeignKey("event_id", "events", "event_id"),
        ForeignKey("source_id", "sources", "source_id"),
    ),
)
