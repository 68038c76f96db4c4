"""Steps and checks shared by the browser tests: axe-core, accounts, addresses."""

from __future__ import annotations

import re

from sqlalchemy import Engine
from sqlmodel import Session

from passerelle.accounts.models import UserAccount
from passerelle.accounts.passwords import hash_password

PASSWORD = "correct horse battery"


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    )


# axe-core leaves text drawn in its background's own colour (a 1:1 contrast) "to review"
# rather than failing it, as when a table's scrolling box hides the background from it:
# such text is invisible all the same.
INVISIBLE_TEXT = """async () => {
  const results = await axe.run(document);
  const invisible = results.incomplete
    .filter((rule) => rule.id === "color-contrast")
    .map((rule) => ({...rule, nodes: rule.nodes.filter((node) =>
      node.any.some((check) => check.data && check.data.messageKey === "equalRatio"))}))
    .filter((rule) => rule.nodes.length);
  return results.violations.concat(invisible);
}"""


def axe_violations(page, axe_source) -> list[dict]:
    """What axe-core finds wrong on the page as it is now, invisible text included."""
    page.add_script_tag(content=axe_source)
    return page.evaluate(INVISIBLE_TEXT)


def axe_check(page, axe_source) -> None:
    """No axe-core violation on the page as it is now."""
    violations = axe_violations(page, axe_source)
    assert not violations, f"{page.url}: {describe(violations)}"


def sign_up(page, name: str, email: str, provider: bool, locale: str = "en") -> None:
    """Create an account from the sign-up form and log in as its mail says: the account
    lands on the space of its type."""
    page.goto("/account/signup")
    page.fill("#display_name", name)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.select_option("#locale", locale)
    page.check("#account_type-provider" if provider else "#account_type-entrepreneur")
    page.locator("main form button[type=submit]").click()
    try:
        page.locator("main").get_by_text(email).wait_for()  # "check your e-mail"
        log_in(page, email, PASSWORD)
        page.wait_for_url(re.compile(r"/provider$" if provider else r"/me$"))
    except Exception as exc:  # say where the sign-up ended and what the page said
        text = page.locator("main").inner_text() if page.locator("main").count() else ""
        raise AssertionError(f"sign-up stopped at {page.url}: {text[:500]}") from exc


def log_in(page, email: str, password: str) -> None:
    """Log in whatever the page's language (fields found by their ids)."""
    page.goto("/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form[action='/account/login'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/account/login" not in url)


def add_staff(engine: Engine, email: str, password: str, **fields) -> None:
    """A staff account, straight in the database: no page creates the first one."""
    with Session(engine) as session:
        session.add(
            UserAccount(email=email, password_hash=hash_password(password), role="staff", **fields)
        )
        session.commit()


def urlpath(url: str) -> str:
    return "/" + url.split("/", 3)[3]


# The secret of the platform the browser tests serve, so that samples can sign its links.
SAMPLES_SECRET = "browser-tests-secret-key-0123456789abcdef"
