"""An automated accessibility audit of the viewer with axe-core (viewer/node_modules, a devDependency).

The viewer is audited on a desktop and a phone-sized screen, as it opens, with the details panel
open, with a search active and its results listed, against WCAG 2.0/2.1 A and AA; any violation of impact "serious" or
"critical" fails the test. axe cannot judge everything (keyboard use, announcements): the other
browser tests cover those.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .collection import BuiltCollection
from .conftest import VIEWER
from .map_page import MapPage

AXE = VIEWER / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1},
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
}


@pytest.fixture(scope="session")
def axe_script() -> Path:
    assert AXE.is_file(), (
        f"{AXE} is missing: run `npm --prefix viewer ci` to install the viewer's devDependencies "
        "(axe-core among them); `make test` does it"
    )
    return AXE


@pytest.fixture(params=sorted(VIEWPORTS))
def screen(request, browser, site_url: str, collection: BuiltCollection):
    # axe is injected as an inline script, which the served Content-Security-Policy forbids.
    context = browser.new_context(**VIEWPORTS[request.param], bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    mp = MapPage(page, f"{site_url}{collection.id}/", collection)
    yield request.param, mp
    assert mp.errors == [], f"uncaught errors in the page: {mp.errors}"
    context.close()


def audit(page: Page, axe_script: Path, state: str) -> list[dict]:
    """axe's blocking violations on the page as it is now, with a readable assertion message."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    result = page.evaluate("tags => axe.run(document, {runOnly: tags})", TAGS)
    assert result["passes"], f"{state}: axe ran no passing check at all"
    # Reflow (WCAG 1.4.10), which axe does not check: nothing sticks out of the screen sideways
    # (on a phone that would widen the layout viewport and shrink the whole page).
    width = page.viewport_size["width"]
    wide = page.evaluate(
        """w => [document.documentElement.scrollWidth,
                 [...document.querySelectorAll('body *')].filter(e => !e.closest('#map') && e.getClientRects().length
                   && e.getBoundingClientRect().left + e.scrollWidth > w + 1).map(e => e.id || e.className)]""",
        width,
    )
    assert wide[0] <= width, f"{state}: the page is {wide[0]} px wide on a {width} px screen; too wide: {wide[1]}"
    return [dict(v, state=state) for v in result["violations"] if v["impact"] in BLOCKING]


def more_tools(page: Page) -> None:
    """Opens "More tools" where the toolbar folds its other groups behind it (phones)."""
    more = page.get_by_role("button", name="More tools")
    if more.is_visible() and more.get_attribute("aria-expanded") != "true":
        more.click()


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['state']}] {v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:5]:
            summary = " / ".join(line.strip() for line in (node.get("failureSummary") or "").splitlines()[1:])
            lines.append(f"    {node['target']}: {summary}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def test_no_serious_or_critical_axe_violations(axe_script: Path, screen, artifacts: Path) -> None:
    name, mp = screen
    page = mp.page
    mp.open()
    violations = audit(page, axe_script, f"{name}: opened")

    # The details panel open (a bottom sheet on phones).
    cell = mp.cell_of("Red amphora")
    if name == "phone":
        page.touchscreen.tap(*mp.cell_point(cell))
    else:
        page.mouse.click(*mp.cell_point(cell))
    expect(page.locator("#panel-title")).to_have_text("Red amphora")
    expect(page.locator("#panel-link")).to_be_visible()
    violations += audit(page, axe_script, f"{name}: details panel open")

    # A search active, stepped onto a match: other images dimmed, the count shown, both buttons on.
    page.keyboard.press("Escape")
    expect(page.locator("#panel")).to_be_hidden()
    page.get_by_label("Search titles and fields").fill("amphora")
    expect(page.locator("#match-count")).to_have_text("2 matches")
    page.get_by_role("button", name="Next match").click()
    expect(page.locator("#match-count")).to_have_text("1 of 2 matches")
    expect(page.get_by_role("button", name="Next result")).to_be_visible()  # the panel's steps
    mp.settle()
    violations += audit(page, axe_script, f"{name}: search active")
    page.get_by_role("button", name="List the results").click()
    expect(page.locator("#results-list button").last).to_have_attribute("data-drawn", "true")
    violations += audit(page, axe_script, f"{name}: results list open")

    # The filters drawer open (over the map on phones), a value chosen.
    page.get_by_role("button", name="Filters").click()
    page.locator('#filters input[value="Etruscan"]').check()
    expect(page.locator("#filters-badge")).to_have_text("2 of 11 shown")
    violations += audit(page, axe_script, f"{name}: filters open")
    page.get_by_role("button", name="Clear all").click()
    page.get_by_role("button", name="Close filters").click()

    # And a search that matches nothing (both match buttons disabled).
    page.get_by_label("Search titles and fields").fill("no such thing")
    expect(page.locator("#match-count")).to_have_text("No matches")
    violations += audit(page, axe_script, f"{name}: search without matches")
    page.get_by_label("Search titles and fields").fill("amphora")
    expect(page.locator("#match-count")).to_have_text("2 matches")
    mp.settle()
    page.screenshot(path=artifacts / f"accessibility-{name}.png")

    assert not violations, f"axe found serious/critical WCAG 2.1 A/AA violations:\n{describe(violations)}"

    # The audit does catch a real violation: a zoom button without a name.
    more_tools(page)
    page.evaluate("document.getElementById('zoom-in').removeAttribute('aria-label')")
    caught = audit(page, axe_script, f"{name}: unnamed button")
    assert [(v["id"], n["target"]) for v in caught for n in v["nodes"]] == [("button-name", ["#zoom-in"])], describe(caught)


def test_the_navigation_aids_pass_the_accessibility_audit(axe_script: Path, screen) -> None:
    """The View group (minimap, full screen, copy link, help), the minimap shown (desktops only: it
    is hidden on phones), the keyboard help open and the copy box shown where the clipboard refuses."""
    name, mp = screen
    page = mp.open().page
    minimap = page.get_by_role("button", name="Minimap")
    if name == "phone":
        expect(minimap).to_be_hidden()
    else:
        minimap.click()
        expect(page.locator("#minimap")).to_be_visible()
    more_tools(page)
    violations = audit(page, axe_script, f"{name}: view tools{'' if name == 'phone' else ', minimap shown'}")
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    violations += audit(page, axe_script, f"{name}: keyboard help open")
    page.keyboard.press("Escape")
    page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new Error('refused')); }")
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("textbox", name="Link to this view")).to_be_focused()
    violations += audit(page, axe_script, f"{name}: copy box shown")
    assert not violations, f"axe found serious/critical WCAG 2.1 A/AA violations:\n{describe(violations)}"


def test_the_timeline_passes_the_accessibility_audit(axe_script: Path, screen) -> None:
    """The timeline arrangement (timeline.json): the switch pressed, the axis of years over the map,
    then a search stepped onto a match, its details open."""
    name, mp = screen
    page = mp.open("view=timeline").page
    page.wait_for_function("() => document.documentElement.dataset.arrangement === 'timeline'")
    mp.settle()
    more_tools(page)
    expect(page.get_by_role("button", name="Timeline")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".timeline-axis")).to_be_visible()
    violations = audit(page, axe_script, f"{name}: timeline")
    page.get_by_label("Search titles and fields").fill("amphora")
    expect(page.locator("#match-count")).to_have_text("2 matches")
    page.get_by_role("button", name="Next match").click()
    expect(page.locator("#match-count")).to_have_text("1 of 2 matches")
    mp.settle()
    violations += audit(page, axe_script, f"{name}: timeline, a match selected")
    assert not violations, f"axe found serious/critical WCAG 2.1 A/AA violations:\n{describe(violations)}"


def test_the_selection_passes_the_accessibility_audit(axe_script: Path, screen) -> None:
    """The selection (selection-tools.js): a link's selection tinted on the map, the Rectangle
    tool on, the selection list open with its thumbnails, export buttons and remove buttons."""
    name, mp = screen
    page = mp.open("sel=dAAAA").page  # items 0, 1 and 2 (selection-codec.js: three gaps of 0)
    expect(page.locator("#selection-count")).to_have_text("3")
    more_tools(page)
    page.get_by_role("button", name="Rectangle").click()
    expect(page.get_by_role("button", name="Rectangle")).to_have_attribute("aria-pressed", "true")
    page.locator("#selection-toggle").click()
    expect(page.locator("#selection-list button.result")).to_have_count(3)
    expect(page.locator("#selection-list button.result").last).to_have_attribute("data-drawn", "true")
    mp.settle()
    violations = audit(page, axe_script, f"{name}: selection list open")
    assert not violations, f"axe found serious/critical WCAG 2.1 A/AA violations:\n{describe(violations)}"


def test_the_issue_14_views_together_pass_the_accessibility_audit(axe_script: Path, screen) -> None:
    """What the other audits show one at a time, together: a cluster label's "Select" offer; then the
    timeline with a link's selection, the minimap shown (desktops), the selection list open, and the
    keyboard help over all of it."""
    name, mp = screen
    page = mp.open().page
    page.locator(".cluster-label:visible").first.click()
    expect(page.locator("#select-cluster")).to_be_visible()
    violations = audit(page, axe_script, f"{name}: a cluster's selection offered")
    mp.open("view=timeline&sel=dAAAA")
    page.wait_for_function("() => document.documentElement.dataset.arrangement === 'timeline'")
    expect(page.locator("#selection-count")).to_have_text("3")
    if name == "desktop":
        page.get_by_role("button", name="Minimap").click()
        expect(page.locator("#minimap")).to_be_visible()
    page.locator("#selection-toggle").click()
    expect(page.locator("#selection-list button.result").last).to_have_attribute("data-drawn", "true")
    mp.settle()
    violations += audit(page, axe_script, f"{name}: timeline, selection list open, minimap")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    violations += audit(page, axe_script, f"{name}: keyboard help over the timeline and the selection")
    assert not violations, f"axe found serious/critical WCAG 2.1 A/AA violations:\n{describe(violations)}"
