"""Schemathesis over the OpenAPI document: no input may produce a server error.

The operations are driven from a plain test (not schemathesis' pytest plugin) so the
suite's database fixtures apply; the example count keeps the run within seconds.
"""

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from passerelle.app import create_app
from services_catalog.importing import import_offers
from services_catalog.synthetic import synthetic_offers

EXAMPLES_PER_OPERATION = 100


def test_no_server_errors_and_responses_match_the_schema(db, settings, session):
    import_offers(session, list(enumerate(synthetic_offers(40, seed=11), start=1)))
    session.commit()
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(settings, engine=db))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case):
            case.call_and_validate()

        check()
