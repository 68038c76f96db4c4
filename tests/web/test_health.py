from services_catalog.importing import import_offers
from services_catalog.synthetic import synthetic_offers


def test_healthz_reports_the_database_and_catalogue(client, session):
    assert client.get("/healthz").json() == {
        "status": "ok",
        "database": "ok",
        "published_offers": 0,
    }
    import_offers(session, list(enumerate(synthetic_offers(5), start=1)))
    session.commit()
    assert client.get("/healthz").json()["published_offers"] == 5
