"""``sources``: every document a row or claim rests on."""

from __future__ import annotations

from typing import Literal

from .columns import Date, DatePrecision, Text, column
from .rules import ExplainedIfMissing, PrecisionFits
from .table import Row, Table
from .vocab import id_pattern

SourceKind = Literal["official", "wire", "news", "analysis", "aggregator", "reference"]
DateBasis = Literal["dateline", "stored_date", "url_path", "inferred_from_text", "unknown"]


class Source(Row):
    source_id: Text = column("Stable id of the source document.", pattern=id_pattern("src"),
                             example="src-ht-2021-12-06-jaishankar-lavrov")
    publisher: Text = column("Organisation that published the document, as it names itself.")
    title: Text | None = column("Headline or title as published; empty when the copy we hold shows none.")
    author: Text | None = column("Author(s) when the document names them.")
    published_date: Date | None = column(
        "Publication date, written as the first day of its period when only the month or year is known.")
    published_precision: DatePrecision | None = column("Precision of `published_date`: day, month or year.")
    date_basis: DateBasis = column(
        "How the publication date was established: the article's own dateline, the date stored with the page, "
        "the date in its URL, inferred from the text (see note), or unknown. A date printed in a site's "
        "header is never used.")
    url: Text | None = column("Address of the document, copied as published; empty when unknown (never guessed).",
                              pattern=r"^https?://[A-Za-z0-9\[][^/?# \t\r\n]*([/?#][^ \t\r\n]*)?$")
    kind: SourceKind = column(
        "official: a government or embassy; wire: a news agency; news: a newspaper or broadcaster; "
        "analysis: a consultancy, think tank or magazine; aggregator: a site relaying others; "
        "reference: a database.")
    language: Text = column("ISO 639-1 code of the document's language (en, hi, ru...).", pattern=r"^[a-z]{2}$")
    note: Text | None = column("How the date or publisher was established, and anything a reader should know.")

    rules = (
        PrecisionFits("published_date", "published_precision"),
        ExplainedIfMissing("url", "note"),
        ExplainedIfMissing("published_date", "note"),
    )


TABLE = Table(
    name="sources",
    title="Sources",
    description="Every document cited by a row or a claim, with its publisher, title, date and address.",
    model=Source,
    primary_key="source_id",
)
