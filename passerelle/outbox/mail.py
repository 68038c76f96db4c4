"""What a mail is before it is queued, and how one is written from its templates.

Each mail has two templates under `templates/mail/`: `NAME.txt` (its `subject` block and
its text) and `NAME.html`; both are rendered in the recipient's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from passerelle.i18n import LOCALES
from passerelle.settings import Settings
from passerelle.web.templating import template_environment

# Characters that would let a value start a header of its own or end the headers.
_LINE_BREAKS = ("\r", "\n")


@dataclass(frozen=True)
class Mail:
    """One message to one address; `headers` are extra headers (List-Unsubscribe…)."""

    to: str
    subject: str
    text: str
    html: str | None = None
    locale: str = "fr"
    headers: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if "@" not in self.to or _has_line_break(self.to):
            raise ValueError(f"Mail.to: {self.to!r} is not an e-mail address")
        if _has_line_break(self.subject):
            raise ValueError(f"Mail.subject: {self.subject!r} holds a line break")
        if self.locale not in LOCALES:
            raise ValueError(f"Mail.locale: {self.locale!r} is not one of {', '.join(LOCALES)}")
        for name, value in self.headers:
            if not name.isascii() or ":" in name or _has_line_break(name + value):
                raise ValueError(f"Mail.headers: {name!r}: {value!r} is not a header")


def _has_line_break(value: str) -> bool:
    return any(character in value for character in _LINE_BREAKS)


def render_mail(template_name: str, locale: str, **context) -> tuple[str, str, str]:
    """The subject, text and HTML of mail `template_name` in `locale`."""
    environment = template_environment()
    values = {**context, "locale": locale}
    text_template = environment.get_template(f"mail/{template_name}.txt")
    subject_block = text_template.blocks["subject"](text_template.new_context(values))
    subject = " ".join("".join(subject_block).split())
    text = text_template.render(values).strip() + "\n"
    html = environment.get_template(f"mail/{template_name}.html").render(
        {**values, "subject": subject}
    )
    return subject, text, html


def compose(to: str, locale: str, template_name: str, **context) -> Mail:
    """Mail `template_name` to `to`, written in `locale`."""
    subject, text, html = render_mail(template_name, locale, **context)
    return Mail(to=to, subject=subject, text=text, html=html, locale=locale)


def mail_link(request: Request, settings: Settings, name: str, **params) -> str:
    """The address of page `name` for a message: the configured public address, never
    the request's own (its Host header is the sender's to choose)."""
    return settings.base_url + request.app.url_path_for(name, **params)
