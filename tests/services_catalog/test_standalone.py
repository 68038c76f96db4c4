"""The catalogue is a library: it creates and uses its tables with nothing else imported."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Run in a fresh interpreter: this test process has imported the whole platform.
CATALOGUE_ALONE = textwrap.dedent(
    """
    import sys
    from datetime import date

    from sqlalchemy import create_engine, func, select
    from sqlalchemy.orm import Session

    from services_catalog import importing, workflow
    from services_catalog.models import AuditEntry, Offer, create_tables
    from services_catalog.schemas import OfferRecord
    from services_catalog.search import OfferFilters, search_offers

    engine = create_engine(sys.argv[1])
    with engine.begin() as connection:
        create_tables(connection)
    record = {"id": "a", "title": "Prêt d'honneur", "description": "Un prêt sans intérêt.",
              "organization": "Initiative Dakar", "kind": "financing",
              "categories": ["honour_loan"], "countries": ["SN"]}
    with Session(engine) as session:
        report = importing.import_offers(session, [(1, record)], created_by_id=7)
        draft = OfferRecord.model_validate(record | {"id": None, "title": "Mentorat"})
        workflow.create_offer(session, draft, actor_id=7, today=date(2026, 12, 1))
        session.commit()
    with Session(engine) as session:
        assert report.created == 1, report.summary()
        assert session.scalar(select(func.count()).select_from(Offer)) == 2
        assert session.scalar(select(AuditEntry.actor_id)) == 7
        found = search_offers(session, OfferFilters(q="pret honneur"))
        assert [offer.title for offer in found.offers] == ["Prêt d'honneur"], found
    platform = sorted(name for name in sys.modules if name.split(".")[0] == "passerelle")
    assert not platform, platform
    """
)


def test_the_catalogue_creates_and_uses_its_tables_alone(fresh_database_url, tmp_path):
    url = fresh_database_url or f"sqlite:///{tmp_path / 'catalogue.db'}"
    ran = subprocess.run(
        [sys.executable, "-c", CATALOGUE_ALONE, url], capture_output=True, text=True, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
