"""Alert mails: rendered in the recipient's language, each with its one-click unsubscribe
link and headers (RFC 8058), handed to the outbox in the caller's transaction."""

from __future__ import annotations

from passerelle.accounts.models import UserAccount
from passerelle.alerts.models import Alert
from passerelle.alerts.service import unsubscribe_token
from passerelle.i18n import LOCALES
from passerelle.outbox.mail import Mail, render_mail
from passerelle.outbox.service import queue_mail
from passerelle.settings import Settings

# The unsubscribe page's path; the router declares the same one.
UNSUBSCRIBE_PATH = "/alerts/unsubscribe/{alert_token}"
ALERTS_PATH = "/me/alerts"


def unsubscribe_url(settings: Settings, alert_id: int) -> str:
    token = unsubscribe_token(settings.secret_key.get_secret_value(), alert_id)
    return settings.base_url + UNSUBSCRIBE_PATH.format(alert_token=token)


def offer_url(settings: Settings, offer_id: int) -> str:
    return f"{settings.base_url}/offers/{offer_id}"


def recipient_locale(user: UserAccount) -> str:
    return user.locale if user.locale in LOCALES else "fr"


def send_alert_mail(
    session,
    settings: Settings,
    user: UserAccount,
    alert: Alert,
    template: str,
    context: dict,
    *,
    dedupe_key: str,
) -> bool:
    """Queue one alert mail; False when a mail with this `dedupe_key` was queued before."""

    locale = recipient_locale(user)
    unsubscribe = unsubscribe_url(settings, alert.id)
    context = {
        **context,
        "user": user,
        "unsubscribe_url": unsubscribe,
        "alerts_url": settings.base_url + ALERTS_PATH,
    }
    subject, text, html = render_mail(template, locale, **context)
    mail = Mail(
        to=user.email,
        subject=subject,
        text=text,
        html=html,
        locale=locale,
        headers=(
            ("List-Unsubscribe", f"<{unsubscribe}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ),
    )
    return queue_mail(session, mail, dedupe_key=dedupe_key)
