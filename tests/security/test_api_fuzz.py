"""Schemathesis over the OpenAPI document: no input may produce a server error.

Every operation is called without a token; those that need one again with the token of
organisation A's provider and of a staff member (`tests/security/conftest.py`), so that the
writes get past the login and reach their validation and rules. The operations are driven
from a plain test (not schemathesis' pytest plugin) so that the suite's database fixtures
apply; `PASSERELLE_FUZZ_EXAMPLES` examples per operation and caller bound the run.
"""

from collections import Counter

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from passerelle.app import create_app
from services_catalog.importing import import_offers
from services_catalog.synthetic import synthetic_offers
from tests.security.conftest import COUNTS, FUZZ_EXAMPLES, PROVIDER, STAFF


def _callers(operation, tokens: dict[str, str]) -> dict[str, dict[str, str]]:
    """The headers of each caller of the operation: none, and a token where one is needed."""
    callers = {"no token": {}}
    if "security" in operation.definition.raw:
        for role in (PROVIDER, STAFF):
            callers[f"{role} token"] = {"Authorization": f"Bearer {tokens[role]}"}
    return callers


def _fuzz(operation, caller: str, headers: dict[str, str], counts: Counter) -> None:
    """Call the operation with generated inputs as `caller`; fail on a server error or an
    answer its schema does not describe. A schema-valid body may still be refused (422): the
    rules across fields (a primary category among the offer's kind) are beyond JSON Schema."""

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    def check(case):
        counts["inputs tried"] += 1
        counts[f"inputs tried ({caller})"] += 1
        response = case.call(headers=headers)
        counts["5xx seen"] += response.status_code >= 500
        case.validate_response(response, excluded_checks=[positive_data_acceptance])

    check()


def test_no_server_errors_and_responses_match_the_schema(cast, db, settings, session):
    import_offers(session, list(enumerate(synthetic_offers(40, seed=11), start=1)))
    session.commit()
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(settings, engine=db))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    COUNTS["API fuzz (schemathesis)"] = counts = Counter({"5xx seen": 0})

    for operation in operations:
        for caller, headers in _callers(operation, cast.tokens).items():
            _fuzz(operation, caller, headers, counts)


# Bodies no JSON Schema generator sends: JSON's own edge cases and broken encodings.
HOSTILE_BODIES: dict[str, tuple[bytes, ...]] = {
    "NaN": (b'{"description": NaN}', b"NaN"),
    "Infinity": (b'{"description": -Infinity}', b"Infinity"),
    "1e999": (b'{"description": 1e999}', b"1e999"),
    "non-UTF-8": (b"\xff\xfe\x00", b'{"description": "\xff"}'),
    "NUL": (b'{"description": "Dakar\\u0000Thi\\u00e8s"}',),
    "deep nesting": (b"[" * 50_000 + b"]" * 50_000,),
    "100 kB": (b'{"description": "' + b"x" * 100_000 + b'"}',),
}


def test_hostile_json_bodies_get_no_server_error(cast, db, settings):
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(settings, engine=db))
    operations = [r.ok() for r in schema.get_all_operations()]
    with_body = [op for op in operations if "requestBody" in op.definition.raw]
    assert len(with_body) >= 4, [op.label for op in with_body]
    staff = {"Authorization": f"Bearer {cast.tokens[STAFF]}"}
    COUNTS["API hostile bodies"] = counts = Counter({"5xx seen": 0})
    errors = []
    for operation in with_body:
        label = f"{operation.method.upper()} {operation.path}"
        path = operation.path.format(offer_id=cast.samples["offer_id"])
        headers = {"Content-Type": "application/json"} | (
            staff if "security" in operation.definition.raw else {}
        )
        for kind, bodies in HOSTILE_BODIES.items():
            for body in bodies:
                counts["inputs tried"] += 1
                try:
                    status = (
                        cast.clients[STAFF]
                        .request(operation.method.upper(), path, content=body, headers=headers)
                        .status_code
                    )
                except Exception as exc:  # the test client re-raises the application's error
                    status = f"500 {type(exc).__name__}: {str(exc)[:120]}"
                if str(status).startswith("5"):
                    counts["5xx seen"] += 1
                    errors.append(f"{label} {kind} {body[:40]!r}: {status}")
    assert not errors, "\n".join(errors)
