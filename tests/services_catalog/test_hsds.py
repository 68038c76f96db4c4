"""The HSDS export validates against the official HSDS 3.0 schemas.

The schemas are read from the directory named by HSDS_SCHEMA_DIR, by default
../shared/hsds beside the project where it exists; they are not copied into the project.
"""

import json
import os
from datetime import date
from pathlib import Path

import pytest

from passerelle.web.templating import PROJECT_ROOT
from services_catalog.demo import load_demo
from services_catalog.hsds import hsds_document

SHARED_SCHEMAS = PROJECT_ROOT.parent / "shared" / "hsds"
SCHEMA_DIR = os.environ.get("HSDS_SCHEMA_DIR") or (
    SHARED_SCHEMAS if SHARED_SCHEMAS.is_dir() else None
)
ENTITY_SCHEMAS = {
    "organizations": "organization.json",
    "services": "service.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}


@pytest.fixture(scope="module")
def validators():
    if not SCHEMA_DIR:
        if os.environ.get("PASSERELLE_REQUIRE_BROWSER"):
            pytest.fail(f"no HSDS schemas: set HSDS_SCHEMA_DIR (no {SHARED_SCHEMAS}) in CI")
        pytest.skip(
            f"no HSDS 3.0 schemas to validate against: set HSDS_SCHEMA_DIR (no {SHARED_SCHEMAS})"
        )
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    folder = Path(SCHEMA_DIR)
    if not any(folder.glob("*.json")):
        pytest.fail(f"HSDS_SCHEMA_DIR={folder} holds no HSDS schema (*.json)")
    registry = Registry().with_resources(
        (path.name, Resource.from_contents(json.loads(path.read_text()),
                                           default_specification=DRAFT202012))
        for path in folder.glob("*.json")
        if path.name not in ("openapi.json", "datapackage.json")
    )  # fmt: skip
    return {
        key: Draft202012Validator({"$ref": name}, registry=registry, format_checker=FormatChecker())
        for key, name in ENTITY_SCHEMAS.items()
    }


@pytest.fixture
def document(session):
    load_demo(session, today=date(2026, 11, 23))
    session.commit()
    return hsds_document(session, today=date(2026, 11, 23))


def test_every_entity_validates_against_hsds_3(document, validators):
    for key, validator in validators.items():
        assert document[key], key
        for entity in document[key]:
            errors = [
                f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(entity)
            ]
            assert errors == [], (key, entity.get("name"), errors)


def test_links_between_entities_resolve(document):
    organizations = {o["id"] for o in document["organizations"]}
    terms = {t["id"]: t for t in document["taxonomy_terms"]}
    taxonomies = {t["id"] for t in document["taxonomies"]}
    for service in document["services"]:
        assert service["organization_id"] in organizations
        for attribute in service["attributes"]:
            assert attribute["link_id"] == service["id"]
            assert attribute["taxonomy_term_id"] in terms
    assert {t["taxonomy_id"] for t in terms.values()} <= taxonomies
    ids = [e["id"] for key in ENTITY_SCHEMAS for e in document[key]]
    assert len(ids) == len(set(ids))


def test_offer_data_travels_in_attributes(document):
    service = next(
        s for s in document["services"] if s["alternate_name"] == "paisd-diaspora-investors-support"
    )
    terms = {t["id"]: t for t in document["taxonomy_terms"]}
    codes = {(terms[a["taxonomy_term_id"]]["taxonomy"], terms[a["taxonomy_term_id"]]["code"])
             for a in service["attributes"]}  # fmt: skip
    assert ("passerelle-project-countries", "SN") in codes
    assert ("passerelle-offer-kinds", "service") in codes
    assert service["status"] == "active"
    assert service["service_areas"][0]["name"] == "Senegal"
    closed = next(
        s for s in document["services"] if s["alternate_name"] == "meetafrica-1-innovative-startups"
    )
    assert closed["status"] == "inactive"
    deadline = next(a for a in closed["attributes"]
                    if terms[a["taxonomy_term_id"]]["code"] == "deadline")  # fmt: skip
    assert deadline["value"] == "2016-09-15"


def test_the_same_catalogue_exports_the_same_ids(session, document):
    again = hsds_document(session, today=date(2026, 11, 23))
    assert [s["id"] for s in again["services"]] == [s["id"] for s in document["services"]]
