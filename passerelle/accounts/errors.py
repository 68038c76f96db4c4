"""Account errors; each carries the HTTP status a surface answers with."""

from __future__ import annotations

from passerelle.i18n import N_


class AccountError(Exception):
    """An account rule was broken; `detail` is an English message marked for translation."""

    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class LoginRequiredError(AccountError):
    """No valid session: pages send the visitor to the login form, the API answers 401."""

    status_code = 401

    def __init__(self) -> None:
        super().__init__(N_("Please log in to continue."))


class ForbiddenError(AccountError):
    status_code = 403

    def __init__(self) -> None:
        super().__init__(N_("Your account cannot open this page."))


class CsrfError(AccountError):
    """A form came without the session's token: possibly forged, so nothing is done."""

    status_code = 403

    def __init__(self) -> None:
        super().__init__(
            N_(
                "This form has expired or did not come from Passerelle, so nothing was changed. "
                "Go back, reload the page and try again."
            )
        )


class TooManyAttemptsError(AccountError):
    status_code = 429

    def __init__(self, minutes: int, detail: str) -> None:
        super().__init__(detail)  # a message with a %(minutes)s placeholder
        self.minutes = minutes


class NotFoundError(AccountError):
    """Missing, or someone else's: the same answer, so existence does not leak."""

    status_code = 404

    def __init__(self) -> None:
        super().__init__(N_("The page you are looking for does not exist."))


class FormError(AccountError):
    """A form value the service refuses (email taken, wrong password), shown by its field."""

    status_code = 400

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(detail)
        self.field = field
