"""Staff retrain the classifier from the staff home; nobody else can."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from passerelle.classifier.models import StoredClassifier
from passerelle.classifier.store import ClassifierStore
from tests.staff.conftest import account, sign_in_as


def test_staff_retrain_the_classifier_from_their_home(staff, session, db, client, queue):
    before = client.app.state.classifiers.current()
    response = staff.submit("/staff", {}, action="/staff/classifier/retrain")
    assert response.status_code == 303
    stored = session.scalars(select(StoredClassifier.trained_by)).all()
    assert stored == [f"staff account {account(session, 'staff@example.org').id}"]
    assert client.app.state.classifiers.current() is not before
    home = staff.client.get("/staff", headers={"Accept-Language": "en"})
    assert "retrained on the published catalogue" in home.text


@pytest.mark.parametrize("role", ["entrepreneur", "provider"])
def test_other_roles_cannot_retrain_it(browser, session, db, role):
    sign_in_as(browser, session, role, f"{role}@example.org")
    answer = browser.forge("/me/account", {}, action="/staff/classifier/retrain")
    assert answer.status_code == 403
    assert ClassifierStore(db).latest_generation() == 0
