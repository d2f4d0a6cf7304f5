"""``events``: summits, 2+2 dialogues, commissions, ministerial meetings."""

from __future__ import annotations

from typing import Literal

from .columns import Date, DatePrecision, Int, Text, column
from .rules import Ordered, PrecisionFits
from .table import Figure, ForeignKey, Row, Table
from .vocab import Country, id_pattern

EventType = Literal[
    "annual_summit", "two_plus_two", "irigc_tec", "irigc_mtc", "ministerial_meeting",
    "leaders_meeting", "visit", "economic_dialogue", "security_dialogue", "other",
]
EventStatus = Literal["held", "planned", "postponed", "cancelled"]


class Event(Row):
    event_id: Text = column("Stable id of the event.", pattern=id_pattern("evt"), example="evt-summit-21")
    event_type: EventType = column(
        "annual_summit: the India-Russia annual summit; two_plus_two: foreign and defence ministers' dialogue; "
        "irigc_tec / irigc_mtc: sessions of the intergovernmental commissions on trade, economic, scientific, "
        "technological and cultural cooperation, and on military and military-technical cooperation.")
    name: Text = column("Name of the event in plain words.")
    ordinal: Int | None = column("Number in its series where one exists (21 for the 21st annual summit).", minimum=1)
    start_date: Date | None = column("First day (first day of the period if precision is month or year).")
    end_date: Date | None = column("Last day, for events over several days.")
    date_precision: DatePrecision | None = column("Precision of `start_date`.")
    city: Text | None = column("City where the event was actually held (or is planned, for planned events).")
    country: Country | None = column("Country of `city`.")
    planned_city: Text | None = column("City announced earlier, when the event was held elsewhere.")
    status: EventStatus = column("held, planned, postponed or cancelled, as of the latest source.")
    mode: Literal["in_person", "virtual"] | None = column("in_person or virtual.")
    occasion_id: Text | None = column(
        "Groups the events of one visit or occasion (a summit and the 2+2 and commission sessions held with it): "
        "join on it to ask what was signed during a visit.",
        pattern=id_pattern("occ"), example="occ-2021-12-putin-new-delhi")
    source_id: Text = column("Main source for this row (sources.source_id); field-level evidence is in claims.")
    note: Text | None = column("Context a reader needs.")

    rules = (
        Ordered("start_date", "end_date", code="ird/date-order"),
        PrecisionFits("start_date", "date_precision"),
    )


TABLE = Table(
    name="events",
    title="Events",
    description="Meetings where India-Russia business was done: annual summits, 2+2 dialogues, "
    "commission sessions and ministerial visits, recorded where they were actually held.",
    model=Event,
    primary_key="event_id",
    foreign_keys=(ForeignKey("source_id", "sources", "source_id"),),
    figures=(Figure("documents_signed", "Number of agreements and other documents signed at the event.",
                    integer=True),),
)
