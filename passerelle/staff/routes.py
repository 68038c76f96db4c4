"""The staff space's routers, wired into the app in one call."""

from __future__ import annotations

from fastapi import FastAPI

from passerelle.staff import (
    routes_admin,
    routes_catalogue,
    routes_classifier,
    routes_mail,
    routes_review,
)


def install(app: FastAPI) -> None:
    for module in (routes_review, routes_catalogue, routes_admin, routes_classifier, routes_mail):
        app.include_router(module.router)
