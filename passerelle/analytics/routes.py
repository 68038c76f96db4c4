"""The staff analytics dashboard and its CSV downloads, for staff and admins only."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from passerelle.accounts.errors import NotFoundError
from passerelle.accounts.web import page
from passerelle.analytics.service import SearchLog
from passerelle.analytics.tables import section_csv
from passerelle.analytics.views import SECTIONS, Context
from passerelle.deps import LocaleDep, RecommenderDep, SearchLogDep, SessionDep, StaffUser

router = APIRouter(prefix="/staff/analytics", include_in_schema=False)


def _context(request: Request, session, recommender, search_log: SearchLog, locale: str) -> Context:
    search_log.flush()  # this process's last searches, not yet written, count too

    def offer_url(offer_id: int) -> str:
        return str(request.app.url_path_for("offer", offer_id=offer_id))

    return Context(session, recommender, locale=locale, today=date.today(), offer_url=offer_url)


@router.get("", name="staff_analytics")
def dashboard(
    request: Request,
    user: StaffUser,
    session: SessionDep,
    recommender: RecommenderDep,
    search_log: SearchLogDep,
    locale: LocaleDep,
) -> Response:
    """Every section: supply and demand, empty searches, deadlines, stale offers, replies."""
    ctx = _context(request, session, recommender, search_log, locale)
    sections = [build(ctx) for build in SECTIONS.values()]
    context = {"sections": sections, "today": ctx.today}
    return page(request, "analytics/dashboard.html", context, locale=locale)


@router.get("/{section}.csv", name="staff_analytics_csv")
def download(
    request: Request,
    section: str,
    user: StaffUser,
    session: SessionDep,
    recommender: RecommenderDep,
    search_log: SearchLogDep,
    locale: LocaleDep,
) -> Response:
    """One section's table as CSV (UTF-8 with a byte-order mark, for spreadsheets)."""
    build = SECTIONS.get(section)
    if build is None:
        raise NotFoundError()
    ctx = _context(request, session, recommender, search_log, locale)
    body = "\ufeff" + section_csv(build(ctx))
    filename = f"passerelle-{section}-{ctx.today.isoformat()}.csv"
    return Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Language": locale,
            "Vary": "Accept-Language, Cookie",
        },
    )
