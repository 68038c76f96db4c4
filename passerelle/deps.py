"""Request-scoped dependencies, as `Annotated` aliases used by every route."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session
from starlette.datastructures import FormData

from passerelle.accounts import projects, tokens
from passerelle.accounts.errors import ForbiddenError, LoginRequiredError
from passerelle.accounts.models import STAFF_ROLES, Project, UserAccount
from passerelle.accounts.sessions import session_user, verify_csrf
from passerelle.analytics.service import SearchLog
from passerelle.classifier.store import ClassifierStore
from passerelle.db import session_scope
from passerelle.i18n import negotiate_locale
from passerelle.provider import membership, offers
from passerelle.recommender import Recommender
from passerelle.settings import Settings
from passerelle.web.form_data import read_form
from passerelle.web.read_cache import ReadCache
from services_catalog.classify import Classifier
from services_catalog.models import Organization


# Dependencies that only read the app's state are coroutines: a synchronous one would cost
# a hop to the thread pool, and a turn in its queue when the process is busy.
async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler succeeds."""
    with session_scope(request.app.state.engine) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
# "function" scope: the transaction commits when the handler returns, before the response
# leaves. With FastAPI's default ("request") the commit came after the response was sent,
# so a browser following a redirect could ask for a row not yet committed, and a failed
# commit would follow a response that already said "done".
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def request_locale(request: Request) -> str:
    """The page's language: the `lang` cookie, then Accept-Language, then the default."""
    return negotiate_locale(
        request.cookies.get("lang"),
        request.headers.get("accept-language"),
        request.app.state.settings.default_locale,
    )


async def get_locale(request: Request) -> str:
    return request_locale(request)


LocaleDep = Annotated[str, Depends(get_locale)]


async def get_recommender(request: Request) -> Recommender:
    return request.app.state.recommender


RecommenderDep = Annotated[Recommender, Depends(get_recommender)]


async def get_search_log(request: Request) -> SearchLog:
    return request.app.state.search_log


SearchLogDep = Annotated[SearchLog, Depends(get_search_log)]


async def get_read_cache(request: Request) -> ReadCache:
    return request.app.state.read_cache


ReadCacheDep = Annotated[ReadCache, Depends(get_read_cache)]


async def get_classifier_store(request: Request) -> ClassifierStore:
    return request.app.state.classifiers


def get_classifier(store: Annotated[ClassifierStore, Depends(get_classifier_store)]) -> Classifier:
    return store.current()


ClassifierStoreDep = Annotated[ClassifierStore, Depends(get_classifier_store)]
ClassifierDep = Annotated[Classifier, Depends(get_classifier)]


# Accounts: who is signed in, and what their role lets them open.


def get_optional_user(request: Request, session: SessionDep) -> UserAccount | None:
    return session_user(session, request)


OptionalUser = Annotated[UserAccount | None, Depends(get_optional_user)]


def get_current_user(user: OptionalUser) -> UserAccount:
    """The signed-in account; pages redirect to the login form, the API answers 401."""
    if user is None:
        raise LoginRequiredError()
    return user


CurrentUser = Annotated[UserAccount, Depends(get_current_user)]


def require_role(*roles: str):
    """A dependency giving the signed-in account when its role is one of `roles` (else 403)."""

    def signed_in_with_role(user: CurrentUser) -> UserAccount:
        if user.role not in roles:
            raise ForbiddenError()
        return user

    return signed_in_with_role


StaffUser = Annotated[UserAccount, Depends(require_role(*STAFF_ROLES))]
EntrepreneurUser = Annotated[UserAccount, Depends(require_role("entrepreneur"))]


def get_owned_project(
    project_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
    user: EntrepreneurUser,
    session: SessionDep,
) -> Project:
    """The signed-in entrepreneur's project; someone else's is a 404, not a 403."""
    return projects.get_project(session, user, project_id)


OwnedProject = Annotated[Project, Depends(get_owned_project)]


FormDep = Annotated[FormData, Depends(read_form)]
# Routers that change anything declare `dependencies=[CsrfChecked]`.
CsrfChecked = Depends(verify_csrf)


# API writes (issue 5): a personal token in `Authorization: Bearer`, never the session
# cookie, so that no other site can make a signed-in browser write through the API.

bearer_token = HTTPBearer(
    auto_error=False,
    scheme_name="PersonalToken",
    description="A personal API token, made on the account page (My account → API tokens).",
)
TOKEN_REQUIRED = "send a valid personal API token: Authorization: Bearer <token>"


def get_token_user(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_token)],
) -> UserAccount:
    user = tokens.authenticate_token(session, credentials.credentials) if credentials else None
    if user is None:
        raise HTTPException(401, TOKEN_REQUIRED, headers={"WWW-Authenticate": "Bearer"})
    return user


def require_api_role(*roles: str):
    """A dependency giving the token's account when its role is one of `roles` (else 403)."""

    def token_with_role(user: Annotated[UserAccount, Depends(get_token_user)]) -> UserAccount:
        if user.role not in roles:
            raise HTTPException(403, f"this operation needs one of the roles: {', '.join(roles)}")
        return user

    return token_with_role


ApiWriter = Annotated[UserAccount, Depends(require_api_role("provider", *STAFF_ROLES))]
ApiStaff = Annotated[UserAccount, Depends(require_api_role(*STAFF_ROLES))]


# The provider space (issue 5): organisations a provider account manages, and their offers.
ProviderUser = Annotated[UserAccount, Depends(require_role("provider", *STAFF_ROLES))]
RecordIdPath = Annotated[int, PathParam(ge=1, le=2**31 - 1)]


def get_managed_organization(
    organization_id: RecordIdPath, user: ProviderUser, session: SessionDep
) -> Organization:
    """An organisation the account is a member of (any one for staff); else 404 or 403."""
    return membership.organization_for(session, user, organization_id)


def get_managed_offer(
    offer_id: RecordIdPath, user: ProviderUser, session: SessionDep
) -> offers.OfferState:
    """An offer of an organisation the account manages, with its pending change."""
    return offers.offer_for(session, user, offer_id)


ManagedOrganization = Annotated[Organization, Depends(get_managed_organization)]
ManagedOffer = Annotated[offers.OfferState, Depends(get_managed_offer)]
