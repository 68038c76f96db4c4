"""The staff dashboard with real data: the numbers, the gaps, the charts, the CSV files."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from passerelle.accounts.models import Project, UserAccount
from passerelle.analytics.models import SearchEvent
from passerelle.interest.models import InterestRequest
from services_catalog.importing import import_offers
from services_catalog.models import Offer
from tests.analytics.conftest import sign_in_as

TODAY = date.today()


def offer(key: str, **fields) -> dict:
    return {
        "id": key,
        "title": f"Offer {key}",
        "description": "Support for entrepreneurs.",
        "organization": fields.pop("organization", "Réseau Test"),
        "kind": "service",
        "categories": ["mentoring"],
        **fields,
    }


OPEN_TO_ALL = offer("open-all", organization="Open Network")
SN_AGRI = offer(
    "sn-agri", countries=["SN"], sectors=["agriculture"], deadline=str(TODAY + timedelta(days=10))
)
SN_AGRI_DIGITAL = offer(
    "sn-agri-digital",
    countries=["SN"],
    sectors=["agriculture", "digital"],
    deadline=str(TODAY + timedelta(days=40)),
)
EXPIRED = offer(
    "sn-expired", countries=["SN"], sectors=["agriculture"], deadline=str(TODAY - timedelta(1))
)
ML_ENERGY = offer("ml-energy", countries=["ML"], sectors=["energy"])
PENDING = offer("sn-pending", countries=["SN"], sectors=["agriculture"])


def project(owner_id: int, country: str, sector: str) -> Project:
    return Project(
        owner_id=owner_id,
        name=f"{country} {sector}",
        residence_country="FR",
        target_country=country,
        sector=sector,
        stage="startup",
        project_eur=40_000,
        description="Not for the statistics.",
    )


def logged(kind: str, pair: tuple, results: int, **query) -> SearchEvent:
    """A line of the search log: `pair` is the (country, sector) it is filed under."""
    country, sector = pair
    query = dict(sorted(query.items()))
    return SearchEvent(kind=kind, country=country, sector=sector, results=results, query=query)


@pytest.fixture
def data(session) -> dict:
    rows = list(enumerate([OPEN_TO_ALL, SN_AGRI, SN_AGRI_DIGITAL, EXPIRED], start=1))
    assert import_offers(session, rows, today=TODAY).applied
    old = TODAY - timedelta(days=730)
    assert import_offers(session, [(1, ML_ENERGY)], today=old).applied
    assert import_offers(session, [(1, PENDING)], status="pending", today=TODAY).applied
    owner = UserAccount(email="owner@example.org", password_hash="x")
    session.add(owner)
    session.flush()
    session.add_all([project(owner.id, "SN", "agriculture"), project(owner.id, "CM", "health")])
    session.add_all(
        [
            logged("match", ("SN", "agriculture"), 3, country=["SN"], sector=["agriculture"]),
            logged("match", ("SN", "agriculture"), 3, country=["SN"], sector=["agriculture"]),
            logged("match", ("KE", "tourism"), 0, country=["KE"], sector=["tourism"]),
            logged("search", (None, None), 0, q="solaire"),
            logged("search", (None, None), 0, q="solaire"),
            logged("search", ("SN", None), 4, country=["SN"]),
        ]
    )
    session.commit()
    return {o.external_id: o for o in session.scalars(select(Offer))}


class Tables(HTMLParser):
    """The text of every table of a page, by caption: a list of rows of cell texts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._rows: list[list[str]] = []
        self._text: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in ("caption", "td", "th"):
            self._text = []
        elif tag == "tr":
            self._rows.append([])

    def handle_endtag(self, tag):
        if tag == "caption":
            self._caption = "".join(self._text).strip()
            self._rows, self._text = [], None
        elif tag in ("td", "th"):
            self._rows[-1].append(" ".join("".join(self._text).split()))
            self._text = None
        elif tag == "table":
            self.tables[self._caption] = self._rows[1:]  # without the header row

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def csv_rows(response) -> list[list[str]]:
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return rows[1:]


SUPPLY = "Supply and demand by project country and sector"


def test_supply_and_demand_counts_gaps_first(staff, data):
    page = staff.client.get("/staff/analytics")
    assert page.status_code == 200
    rows = Tables(page.text).tables[SUPPLY]
    assert rows == [
        # country, sector, open offers, projects, requests, median eligible, underserved, gap
        ["Cameroon", "Health & social care", "1", "1", "0", "1", "1", "Gap"],
        ["Kenya", "Tourism, hospitality & catering", "1", "0", "1", "—", "0", "Gap"],
        ["Senegal", "Agriculture, agri-food & fisheries", "3", "1", "2", "3", "0", "—"],
    ]
    # The offer open to every country and sector counts in every row; the pending and
    # the expired offers count nowhere.
    assert 'class="row-highlight"' in page.text


def test_the_csv_has_the_rows_of_the_table(staff, data):
    page = staff.client.get("/staff/analytics")
    tables = Tables(page.text).tables
    download = staff.client.get("/staff/analytics/supply-demand.csv")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    shown = [[cell.replace("—", "") for cell in row] for row in tables[SUPPLY]]
    exported = [[cell.replace("—", "") for cell in row] for row in csv_rows(download)]
    assert exported == shown
    deadlines = staff.client.get("/staff/analytics/deadlines.csv")
    assert [row[0] for row in csv_rows(deadlines)] == [
        row[0] for row in tables["Deadlines in the next 30 days"]
    ]
    assert csv_rows(deadlines) == [
        ["Offer sn-agri", "Réseau Test", str(TODAY + timedelta(days=10)), "10"]
    ]


def test_a_gap_appears_when_demand_has_no_fitting_offer(staff, data, session):
    session.add(logged("match", ("NE", "creative"), 0, country=["NE"], sector=["creative"]))
    session.commit()
    rows = Tables(staff.client.get("/staff/analytics").text).tables[SUPPLY]
    niger = next(row for row in rows if row[0] == "Niger")
    assert niger[2] == "1" and niger[-1] == "Gap"  # only the offer open to all fits


def test_searches_that_found_nothing_are_grouped(staff, data):
    rows = Tables(staff.client.get("/staff/analytics").text).tables[
        "Searches and match requests that found nothing"
    ]
    assert rows == [
        ["Catalogue search", "Keywords: solaire", "2", rows[0][3]],
        ["Match request", "Project country: Kenya; Sector: Tourism, hospitality & catering",
         "1", rows[1][3]],
    ]  # fmt: skip
    assert rows[0][3] == f"{TODAY.day} {TODAY:%B %Y}"


def test_deadlines_and_stale_offers(staff, data):
    page = staff.client.get("/staff/analytics")
    tables = Tables(page.text).tables
    assert [row[0] for row in tables["Deadlines in the next 30 days"]] == ["Offer sn-agri"]
    stale = tables["Offers not verified for 12 months"]
    old = TODAY - timedelta(days=730)
    assert stale == [["Offer ml-energy", "Réseau Test", f"{old.day} {old:%B %Y}"]]
    assert f'href="/offers/{data["ml-energy"].id}"' in page.text


def test_response_times_by_organisation(staff, data, session):
    sender = session.scalar(select(UserAccount).where(UserAccount.email == "owner@example.org"))
    sent = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def request(key: str, hours: float | None) -> InterestRequest:
        answered = None if hours is None else sent + timedelta(hours=hours)
        found = data[key]
        return InterestRequest(
            sender_id=sender.id, offer_id=found.id, organization_id=found.organization_id,
            message="Bonjour", created_at=sent, answered_at=answered,
            status="sent" if hours is None else "answered",
        )  # fmt: skip

    session.add_all(
        [request("sn-agri", 2), request("sn-agri", 4), request("sn-agri", None),
         request("open-all", None)]
    )  # fmt: skip
    session.commit()
    page = staff.client.get("/staff/analytics")
    rows = Tables(page.text).tables["Response times to interest requests"]
    assert rows == [
        ["Open Network", "0", "1", "—", "—"],
        ["Réseau Test", "2", "1", "3 hours", "3"],
    ]
    assert "chart-response-times-title" in page.text


def test_without_any_data_every_section_says_so(staff):
    page = staff.client.get("/staff/analytics")
    assert page.status_code == 200
    assert "No project and no match request yet." in page.text
    assert "No interest request has been sent yet." in page.text
    assert "No published offer closes in the next 30 days." in page.text
    assert staff.client.get("/staff/analytics/response-times.csv").status_code == 200


def test_charts_are_accessible_images_beside_their_tables(staff, data):
    page = staff.client.get("/staff/analytics").text
    assert page.count('role="img"') == 4  # no chart where there is nothing to draw
    assert 'aria-labelledby="chart-supply-demand-title chart-supply-demand-desc"' in page
    title = "Demand and open offers, gaps first"
    assert f'<title id="chart-supply-demand-title">{title}</title>' in page
    assert "Gap: Cameroon · Health &amp; social care" in page
    assert "<script" not in page


def test_the_dashboard_in_french(browser, session, data):
    sign_in_as(browser, session, "admin", locale="fr")
    page = browser.client.get("/staff/analytics", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    assert "Offre et demande par pays et secteur du projet" in page.text
    assert "Santé et action sociale" in page.text
    download = browser.client.get("/staff/analytics/supply-demand.csv")
    assert download.content.decode("utf-8-sig").startswith("Pays du projet,Secteur,")


@pytest.mark.parametrize("role", ["entrepreneur", "provider"])
def test_other_roles_are_refused(browser, session, role):
    sign_in_as(browser, session, role)
    assert browser.client.get("/staff/analytics").status_code == 403
    assert browser.client.get("/staff/analytics/supply-demand.csv").status_code == 403
    assert "/staff/analytics" not in browser.client.get("/me").text  # no link either


def test_visitors_are_sent_to_the_login_form(client):
    response = client.get("/staff/analytics", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/account/login?next=%2Fstaff%2Fanalytics")
    assert client.get("/staff/analytics/stale.csv", follow_redirects=False).status_code == 303


def test_an_unknown_section_is_not_found(staff):
    assert staff.client.get("/staff/analytics/passwords.csv").status_code == 404
    assert 'href="/staff/analytics"' in staff.client.get("/me").text  # staff get the link


def test_the_dashboard_counts_the_searches_just_made(staff):
    """Searches wait in memory before they are written; the dashboard writes them first."""
    assert staff.client.get("/api/v1/offers?q=pisciculture").json()["total"] == 0
    rows = Tables(staff.client.get("/staff/analytics").text).tables[
        "Searches and match requests that found nothing"
    ]
    assert [row[:3] for row in rows] == [["Catalogue search", "Keywords: pisciculture", "1"]]
