"""What the dashboard shows: each report turned into a section in the page's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from babel.dates import format_date, format_timedelta
from babel.numbers import format_decimal
from sqlmodel import Session

from passerelle.analytics import reports, supply
from passerelle.analytics.charts import ChartRow, bar_chart
from passerelle.analytics.reports import OfferLine
from passerelle.analytics.tables import Cell, Column, Row, Section
from passerelle.i18n import FORMAT_LOCALES, format_day, format_number, get_translations
from passerelle.recommender import Recommender
from passerelle.web.browse import parameter_title, value_label
from services_catalog.countries import country_name
from services_catalog.taxonomy import label

EVENT_DAYS = 90  # how far back the search log is read
CHART_ROWS = 12
DEADLINE_DAYS = 30


class Context:
    """What every section needs: the session, the day, the language and its formats."""

    def __init__(
        self,
        session: Session,
        recommender: Recommender,
        *,
        locale: str,
        today: date,
        offer_url: Callable[[int], str],
    ):
        self.session = session
        self.recommender = recommender
        self.locale = locale
        self.today = today
        self.since = datetime.combine(today - timedelta(days=EVENT_DAYS), datetime.min.time(), UTC)
        self._ = get_translations(locale).gettext
        self.offer_url = offer_url

    def number(self, value: float | None) -> Cell:
        if value is None:
            return Cell("—", "")
        return Cell(format_decimal(value, "#,##0.#", locale=FORMAT_LOCALES[self.locale]), value)

    def day(self, value: date | None, missing: str = "—") -> Cell:
        return Cell(format_day(value, self.locale), value) if value else Cell(missing)

    def short_day(self, value: date) -> str:
        return format_date(value, "d MMM", locale=FORMAT_LOCALES[self.locale])

    def duration(self, value: timedelta | None) -> str:
        if value is None:
            return "—"
        return format_timedelta(value, threshold=1.5, locale=FORMAT_LOCALES[self.locale])

    def country(self, code: str) -> str:
        try:
            return country_name(code, self.locale)
        except ValueError:
            return code

    def offer(self, offer: OfferLine) -> Cell:
        return Cell(offer.title, href=self.offer_url(offer.id))

    def count_bar(self, name: str, count: int, *, highlight: bool = False) -> ChartRow:
        """A chart row of one bar: a count, written in the page's language."""
        return ChartRow(name, (count,), (format_number(count, self.locale),), highlight)


def supply_demand_section(ctx: Context) -> Section:
    _ = ctx._
    rows = supply.supply_and_demand(ctx.session, ctx.recommender, today=ctx.today, since=ctx.since)
    section = Section(
        key="supply-demand",
        title=_("Supply and demand by project country and sector"),
        intro=_(
            "Open offers are the published offers whose conditions admit the country and "
            "the sector (an offer open to every country or sector counts everywhere). Demand "
            "is the saved projects plus the match requests of the last %(days)s days. A gap "
            "is demand with fewer than %(threshold)s open offers; gaps come first."
        )
        % {"days": EVENT_DAYS, "threshold": supply.GAP_THRESHOLD},
        empty=_("No project and no match request yet."),
        columns=[
            Column(_("Project country")),
            Column(_("Sector")),
            Column(_("Open offers"), numeric=True),
            Column(_("Saved projects"), numeric=True),
            Column(_("Match requests"), numeric=True),
            Column(_("Median eligible offers per project"), numeric=True),
            Column(
                _("Projects with fewer than %(n)s eligible offers") % {"n": supply.GAP_THRESHOLD},
                numeric=True,
            ),
            Column(_("Gap")),
        ],
    )
    for row in rows:
        pair = f"{ctx.country(row.country)} · {label('sector', row.sector, ctx.locale)}"
        cells = [
            Cell(ctx.country(row.country)),
            Cell(label("sector", row.sector, ctx.locale)),
            ctx.number(row.supply),
            ctx.number(row.projects),
            ctx.number(row.match_requests),
            ctx.number(row.median_eligible),
            ctx.number(row.underserved_projects),
            Cell(_("Gap") if row.gap else "—"),
        ]
        section.rows.append(Row(cells, highlight=row.gap))
        if len(section.rows) <= CHART_ROWS:
            chart_label = _("Gap: %(pair)s") % {"pair": pair} if row.gap else pair
            values = (row.demand, row.supply)
            texts = tuple(format_number(v, ctx.locale) for v in values)
            section.chart_rows.append(ChartRow(chart_label, values, texts, row.gap))
    section.chart = bar_chart(
        section.key,
        _("Demand and open offers, gaps first"),
        _("The %(n)s first rows of the table: demand, then open offers.")
        % {"n": len(section.chart_rows)},
        [_("Demand"), _("Open offers")],
        section.chart_rows,
    )
    return section


def describe_query(query: dict, locale: str) -> str:
    """What a logged search asked, in words: `Sector: Energy; Project country: Mali`."""
    parts = []
    for name, value in query.items():
        values = value if isinstance(value, list) else [value]
        shown = ", ".join(value_label(name, v, locale) for v in values)
        parts.append(f"{parameter_title(name, locale)}: {shown}")
    return "; ".join(parts) or get_translations(locale).gettext("No filter")


def empty_searches_section(ctx: Context) -> Section:
    _ = ctx._
    kinds = {"search": _("Catalogue search"), "match": _("Match request")}
    section = Section(
        key="empty-searches",
        title=_("Searches and match requests that found nothing"),
        intro=_("The last %(days)s days, grouped by what was asked, the most frequent first.")
        % {"days": EVENT_DAYS},
        empty=_("Every search of the period found at least one offer."),
        columns=[
            Column(_("Kind")),
            Column(_("What was asked")),
            Column(_("Times"), numeric=True),
            Column(_("Last time")),
        ],
    )
    for found in reports.empty_searches(ctx.session, since=ctx.since):
        asked = describe_query(found.query, ctx.locale)
        cells = [
            Cell(kinds.get(found.kind, found.kind)),
            Cell(asked),
            ctx.number(found.times),
            ctx.day(found.last_at.date()),
        ]
        section.rows.append(Row(cells))
        if len(section.chart_rows) < CHART_ROWS:
            section.chart_rows.append(ctx.count_bar(asked, found.times))
    section.chart = bar_chart(
        section.key,
        _("Searches that found nothing, by what was asked"),
        _("The %(n)s most frequent, with the number of times each was asked.")
        % {"n": len(section.chart_rows)},
        [_("Times")],
        section.chart_rows,
    )
    return section


def deadlines_section(ctx: Context) -> Section:
    _ = ctx._
    offers = reports.upcoming_deadlines(ctx.session, today=ctx.today, days=DEADLINE_DAYS)
    section = Section(
        key="deadlines",
        title=_("Deadlines in the next %(days)s days") % {"days": DEADLINE_DAYS},
        intro=_("Published offers whose application window closes soon, the soonest first."),
        empty=_("No published offer closes in the next %(days)s days.") % {"days": DEADLINE_DAYS},
        columns=[
            Column(_("Offer")),
            Column(_("Organisation")),
            Column(_("Deadline")),
            Column(_("Days left"), numeric=True),
        ],
    )
    for offer in offers:
        days_left = (offer.day - ctx.today).days
        cells = [
            ctx.offer(offer),
            Cell(offer.organization),
            ctx.day(offer.day),
            ctx.number(days_left),
        ]
        section.rows.append(Row(cells))
    weeks = [0] * ((DEADLINE_DAYS + 6) // 7)
    for offer in offers:
        weeks[(offer.day - ctx.today).days // 7] += 1
    for number, count in enumerate(weeks):
        start = ctx.today + timedelta(days=7 * number)
        end = min(start + timedelta(days=6), ctx.today + timedelta(days=DEADLINE_DAYS))
        period = _("%(start)s to %(end)s") % {
            "start": ctx.short_day(start),
            "end": ctx.short_day(end),
        }
        section.chart_rows.append(ctx.count_bar(period, count))
    section.chart = bar_chart(
        section.key,
        _("Offers closing, week by week"),
        _("The number of offers whose deadline falls in each of the coming weeks."),
        [_("Offers")],
        section.chart_rows,
    )
    return section


def stale_section(ctx: Context) -> Section:
    _ = ctx._
    section = Section(
        key="stale",
        title=_("Offers not verified for 12 months"),
        intro=_(
            "Published offers whose details nobody has confirmed for a year or more, "
            "the longest unverified first."
        ),
        empty=_("Every published offer was verified in the last 12 months."),
        columns=[Column(_("Offer")), Column(_("Organisation")), Column(_("Last verified"))],
    )
    for offer in reports.stale_offers(ctx.session, today=ctx.today):
        cells = [
            ctx.offer(offer),
            Cell(offer.organization),
            ctx.day(offer.day, _("Never")),
        ]
        section.rows.append(Row(cells))
    bands = [
        _("Less than 6 months"),
        _("6 to 12 months"),
        _("12 to 24 months"),
        _("More than 24 months"),
        _("Never verified"),
    ]
    counts = reports.verification_ages(ctx.session, today=ctx.today)
    for band, count in zip(bands, counts, strict=True):
        stale = band not in bands[:2]
        section.chart_rows.append(ctx.count_bar(band, count, highlight=stale and count > 0))
    section.chart = bar_chart(
        section.key,
        _("Published offers by time since their last verification"),
        _("Every published offer, by how long ago its details were last confirmed."),
        [_("Offers")],
        section.chart_rows,
    )
    return section


def response_times_section(ctx: Context) -> Section:
    _ = ctx._
    section = Section(
        key="response-times",
        title=_("Response times to interest requests"),
        intro=_(
            "Per organisation: requests answered and still unanswered, and the median time "
            "from sending to answer. The most requests left unanswered first."
        ),
        empty=_("No interest request has been sent yet."),
        columns=[
            Column(_("Organisation")),
            Column(_("Answered"), numeric=True),
            Column(_("Unanswered"), numeric=True),
            Column(_("Median response time")),
            Column(_("Median response time (hours)"), numeric=True),
        ],
    )
    for row in reports.response_times(ctx.session):
        hours = None if row.median is None else round(row.median.total_seconds() / 3600, 1)
        cells = [
            Cell(row.organization),
            ctx.number(row.answered),
            ctx.number(row.unanswered),
            Cell(ctx.duration(row.median)),
            ctx.number(hours),
        ]
        section.rows.append(Row(cells, highlight=row.unanswered > 0))
        if row.median is not None and len(section.chart_rows) < CHART_ROWS:
            texts = (ctx.duration(row.median),)
            section.chart_rows.append(ChartRow(row.organization, (hours,), texts))
    section.chart = bar_chart(
        section.key,
        _("Median response time by organisation"),
        _("Organisations that answered at least one request, with their median time."),
        [_("Median response time")],
        section.chart_rows,
    )
    return section


SECTIONS: dict[str, Callable[[Context], Section]] = {
    "supply-demand": supply_demand_section,
    "empty-searches": empty_searches_section,
    "deadlines": deadlines_section,
    "stale": stale_section,
    "response-times": response_times_section,
}
