"""The review queue as staff read it: each pending offer or change as the public will see
it, for a change what differs from the published version, and for an offer imported
without categories the classifier's suggestion, one click to apply."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from passerelle.i18n import N_, format_day, get_translations
from passerelle.staff import queries
from passerelle.web import offer_view
from services_catalog import workflow
from services_catalog.bilingual import missing_summaries
from services_catalog.classify import Classifier, Suggestion, offer_text
from services_catalog.errors import CatalogError
from services_catalog.models import Offer, OfferRevision
from services_catalog.schemas import OfferRecord
from services_catalog.taxonomy import label

# Each exchange-format field as the staff's offer form names it.
FIELD_NAMES = {
    "title": N_("Title"),
    "description": N_("Description"),
    "lang": N_("Language of the title and description"),
    "title_fr": N_("Short title in French"),
    "title_en": N_("Short title in English"),
    "summary_fr": N_("Summary in French"),
    "summary_en": N_("Summary in English"),
    "organization": N_("Organisation"),
    "url": N_("Web address"),
    "kind": N_("Kind"),
    "categories": N_("Categories (the first checked is the primary one)"),
    "sectors": N_("Sectors"),
    "countries": N_("Countries where the project takes place"),
    "residence_countries": N_("Countries where the applicant must live"),
    "stages": N_("Stages"),
    "applicant_types": N_("Applicant types"),
    "target_groups": N_("Target groups"),
    "min_project_eur": N_("Minimum project size (euros)"),
    "max_project_eur": N_("Maximum project size (euros)"),
    "ticket_min_eur": N_("Minimum amount provided (euros)"),
    "ticket_max_eur": N_("Maximum amount provided (euros)"),
    "opens": N_("Opens on"),
    "deadline": N_("Deadline"),
}
# The vocabulary whose labels show each coded field's values.
CODED_FIELDS = {
    "kind": "kind",
    "categories": "category",
    "sectors": "sector",
    "stages": "stage",
    "applicant_types": "applicant_type",
    "target_groups": "target_group",
}
COUNTRY_FIELDS = ("countries", "residence_countries")
CHOSEN_ITEM = re.compile(r"(?P<offer>[0-9]{1,12}):(?P<version>[0-9]{1,12})")
AMOUNT_FIELDS = ("min_project_eur", "max_project_eur", "ticket_min_eur", "ticket_max_eur")
# Told to staff when the offer (or the change waiting) has no summary in a language.
MISSING_SUMMARY = {"en": N_("English summary missing"), "fr": N_("French summary missing")}


@dataclass(frozen=True)
class Difference:
    field: str
    name: str  # the field as the page names it
    before: str | None
    after: str | None


@dataclass(frozen=True)
class PublicView:
    """What the offer's public page says, in the page's language."""

    kind: str
    categories: list[str]
    eligibility: list[str]
    amounts: str | None
    window: str
    url: str | None
    organization: str
    verified: bool


@dataclass(frozen=True)
class QueueItem:
    offer: Offer
    revision: OfferRevision | None
    public: PublicView
    differences: list[Difference]
    suggestion: Suggestion | None
    missing_summaries: list[str]  # MISSING_SUMMARY sentences, in the page's language

    @property
    def kind(self) -> str:
        """Which of the queue's filters the item falls under."""
        return workflow.review_kind(self.offer, self.revision)


def shown_value(name: str, value: Any, locale: str, written: dict | None = None) -> str | None:
    """One exchange-format value as the public pages write it (None when empty); an amount
    with `written`, the offer's or change's amounts as written in another currency."""
    if value in (None, "", []):
        return None
    if name in CODED_FIELDS:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(label(CODED_FIELDS[name], code, locale) for code in codes)
    if name in COUNTRY_FIELDS:
        return ", ".join(offer_view.country_names(value, locale))
    if name in AMOUNT_FIELDS:
        return offer_view.format_amount(int(value), locale, (written or {}).get(name))
    if name in ("opens", "deadline"):
        return format_day(date.fromisoformat(value), locale)
    return str(value)


def differences(
    session: Session, offer: Offer, revision: OfferRevision, locale: str
) -> list[Difference]:
    """The fields a proposed change would alter, in exchange-format order, put into words."""
    proposed = workflow.proposed_record(session, revision)
    proposed.pop("id", None)
    before, after = workflow.changed_fields(workflow.offer_snapshot(offer), proposed)
    order = list(OfferRecord.model_fields)
    names = sorted(before, key=lambda name: order.index(name) if name in order else len(order))
    gettext = get_translations(locale).gettext
    return [
        Difference(
            name,
            gettext(FIELD_NAMES[name]) if name in FIELD_NAMES else name,
            shown_value(name, before[name], locale, offer.written_amounts),
            shown_value(name, after[name], locale, revision.written_amounts),
        )
        for name in names
    ]


def public_view(offer: Offer, locale: str, today: date) -> PublicView:
    return PublicView(
        kind=label("kind", offer.kind, locale),
        categories=[label("category", code, locale) for code in offer.codes("categories")],
        eligibility=offer_view.eligibility(offer, locale),
        amounts=offer_view.offer_ticket(offer, locale),
        window=offer_view.application_window(offer, locale, today).text,
        url=offer.url,
        organization=offer.organization.name,
        verified=offer.organization.verified,
    )


def queue(
    session: Session,
    classifier: Classifier,
    *,
    kind: str | None,
    page: int,
    locale: str,
    today: date,
) -> tuple[queries.Listing, list[QueueItem]]:
    """One page of what waits for review, oldest first, ready to show; the classifier
    runs only for the flagged offers of this page."""
    listing = queries.review_items(session, kind=kind, page=page)
    items = []
    for offer, revision in listing.rows:
        suggestion = None
        if workflow.review_kind(offer, revision) == "flagged":
            suggestion = classifier.suggest(offer_text(workflow.offer_snapshot(offer)))
        changes = differences(session, offer, revision, locale) if revision is not None else []
        public = public_view(offer, locale, today)
        missing = summaries_missing(session, offer, revision, locale)
        items.append(QueueItem(offer, revision, public, changes, suggestion, missing))
    return listing, items


def summaries_missing(
    session: Session, offer: Offer, revision: OfferRevision | None, locale: str
) -> list[str]:
    """What staff are told of the summaries the offer would be published without: those
    of the change waiting, if any, else the offer's."""
    record = (
        workflow.proposed_record(session, revision)
        if revision is not None
        else workflow.offer_snapshot(offer)
    )
    gettext = get_translations(locale).gettext
    return [gettext(MISSING_SUMMARY[lang]) for lang in missing_summaries(record)]


def chosen_items(values: list) -> list[tuple[int, int]]:
    """The (offer id, version shown) pairs of the checked boxes of the queue's bulk form."""
    chosen = []
    for value in values:
        found = CHOSEN_ITEM.fullmatch(value) if isinstance(value, str) else None
        if found is None:
            raise CatalogError(f"item: {str(value)[:40]!r} is not an offer of the queue")
        chosen.append((int(found["offer"]), int(found["version"])))
    return chosen


def act_on_several(
    session: Session,
    chosen: list[tuple[int, int]],
    *,
    approve: bool,
    reason: str,
    actor_id: int | None,
) -> int:
    """Approve (or reject with `reason`) each chosen offer at the version shown; how many
    were left in the queue (changed since, or not ready for this step). StaleOfferError
    when a concurrent writer broke in: the whole transaction must then be rolled back."""
    left = 0
    for offer_id, version in chosen:
        offer = session.get(Offer, offer_id)
        try:
            if offer is None or not _ready(session, offer, approve):
                raise workflow.TransitionError("not ready for this step")
            if approve:
                workflow.approve(session, offer, actor_id=actor_id, version=version)
            else:
                workflow.reject(session, offer, actor_id=actor_id, reason=reason, version=version)
        except CatalogError:
            if not session.is_active:  # a failed UPDATE: nothing of this transaction holds
                raise
            left += 1
    return left


def _ready(session: Session, offer: Offer, approve: bool) -> bool:
    """Whether the offer awaits review and (to be approved) has its categories: checked
    before the step, which would otherwise mark the offer as written."""
    if workflow.pending_revision(session, offer.id) is not None:
        return True
    return offer.status == "pending" and (not approve or bool(offer.codes("categories")))


def accept_suggestion(
    session: Session,
    offer: Offer,
    classifier: Classifier,
    *,
    actor_id: int | None,
    version: int | None = None,
) -> None:
    """Give a flagged offer the classifier's kind, categories and sectors (an audited edit)."""
    snapshot = workflow.offer_snapshot(offer)
    suggestion = classifier.suggest(offer_text(snapshot))
    record = OfferRecord.model_validate(
        {
            **snapshot,
            "id": offer.external_id,
            "kind": suggestion.kind,
            "categories": [code for code, _ in suggestion.categories],
            "sectors": [code for code, _ in suggestion.sectors],
        }
    )
    workflow.edit_offer(session, offer, record, actor_id=actor_id, version=version)
