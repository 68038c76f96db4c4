"""Alert fixtures: the account tests' browser, SMTP server and catalogue, reused."""

from __future__ import annotations

from tests.accounts.conftest import (  # noqa: F401  (the account tests' fixtures, reused)
    Browser,
    browser,
    cheap_hashing,
    client,
    inbox,
    other_browser,
    settings,
    site_catalogue,
    smtp_server,
)

PROJECT = {
    "name": "Ferme avicole à Thiès",
    "residence_country": "FR",
    "target_country": "SN",
    "sector": "agriculture",
    "stage": "startup",
    "project_eur": "40 000",
    "applicant_type": "individual",
}
