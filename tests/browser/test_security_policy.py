"""The site's content security policy, enforced by a real browser, blocks nothing it uses."""

from __future__ import annotations

import pytest

PAGES = ("/", "/offers?q=pret", "/find-support", "/organizations", "/account/signup")


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_without_policy_violations(browser, base_url, path):
    context = browser.new_context(base_url=base_url)  # the policy enforced, not bypassed
    page = context.new_page()
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto(path)
    page.wait_for_load_state("load")
    stylesheets = page.evaluate("document.styleSheets.length")
    violations = page.evaluate("window.__violations")
    context.close()
    assert violations == [] and stylesheets >= 1, violations
