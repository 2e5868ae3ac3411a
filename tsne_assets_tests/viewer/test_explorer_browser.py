"""The explorer's additions in a real browser, on the collection the pipeline built: the
collection's identity (header, tab title, credit, About dialog), similar objects and cluster
labels. Expectations come from the published metadata.json and the test collection's spec."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from .collection import IDENTITY
from .test_accessibility import audit, axe_script, describe, screen  # noqa: F401 (fixtures)
from .test_viewer_browser import MapPage, map_page  # noqa: F401 (fixture)


def test_identity_is_shown_as_text_in_header_title_credit_and_about_dialog(map_page: MapPage, artifacts: Path) -> None:
    mp = map_page.open()
    page = mp.page
    expect(page.locator("#collection-title")).to_have_text(IDENTITY["name"])
    expect(page).to_have_title(f"{IDENTITY['name']} — map")
    expect(page.locator("#map-credit")).to_have_text(f"{IDENTITY['credit']} · {IDENTITY['license']}")

    # A selected image stays selected through the dialog: Escape closes the dialog only.
    page.mouse.click(*mp.cell_point(mp.cell_of("Red amphora")))
    expect(page.locator("#panel-title")).to_have_text("Red amphora")
    about = page.get_by_role("button", name="About")
    about.click()
    dialog = page.get_by_role("dialog", name=IDENTITY["name"])
    expect(dialog).to_be_visible()
    expect(page.locator("#about-close")).to_be_focused()
    first, second = IDENTITY["about"].split("\n\n")
    expect(dialog.locator(".about-text p")).to_have_text([first, second])
    expect(dialog.locator(".about-facts")).to_contain_text("Credit" + IDENTITY["credit"])
    expect(dialog.locator(".about-facts")).to_contain_text("Licence" + IDENTITY["license"])
    mp.screenshot(artifacts / "about.png")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(about).to_be_focused()
    expect(page.locator("#panel-title")).to_have_text("Red amphora")

    # The markup in the name and the about text stayed text: nothing was parsed, loaded or run.
    assert page.locator("#collection-title b, #about b, #about img").count() == 0
    assert not [url for url in mp.requests if url.endswith("/x")]
    assert mp.dialogs == []


def test_the_open_about_dialog_passes_the_accessibility_audit(axe_script: Path, screen) -> None:  # noqa: F811
    name, mp = screen
    page = mp.open().page
    page.get_by_role("button", name="About").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    violations = audit(page, axe_script, f"{name}: about dialog open")
    assert not violations, describe(violations)
