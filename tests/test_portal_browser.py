"""The portal in a real browser (Debian's headless Chromium via Playwright): the round trip of
the state's guide, a screenshot of each screen, and axe-core on each at WCAG 2.1 AA."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.conftest import is_postgres
from tests.support.live_demo import LiveServer, live_demo

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
SHOTS = Path(__file__).with_name("artifacts") / "portal"
LEA_CDS, SELPA_CODE, CYCLE = "19647410000000", "1950", "2024-25"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

if is_postgres():
    pytest.skip("the browser half runs once, in the SQLite half", allow_module_level=True)
if not CHROMIUM.exists():
    message = f"{CHROMIUM} is missing: the browser half of the portal tests is skipped"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: install it with apt-get install -y chromium)")
    pytest.skip(f"{message} (apt-get install -y chromium to run it)", allow_module_level=True)

from playwright.async_api import Browser, Page, async_playwright, expect  # noqa: E402


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    folder = Path(tempfile.mkdtemp(prefix="iepimp-browser-"))
    try:
        with live_demo(folder) as live:
            yield live
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            await chromium.close()


class Screens:
    """Screenshots and the axe-core scan of every screen, and any CSP violation seen."""

    def __init__(self) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.csp_violations: list[str] = []
        self.offsite: list[str] = []
        self.axe = AXE.read_text(encoding="utf-8")

    async def open(self, browser: Browser, server: LiveServer) -> Page:
        context = await browser.new_context(base_url=server.url, accept_downloads=True)

        async def only_local(route: Any) -> None:
            if route.request.url.startswith(server.url):
                await route.continue_()
            else:
                self.offsite.append(route.request.url)
                await route.abort()

        await context.route("**/*", only_local)
        page = await context.new_page()
        page.on(
            "console",
            lambda m: (
                self.csp_violations.append(m.text) if "Content Security Policy" in m.text else None
            ),
        )
        return page

    async def check(self, page: Page, name: str) -> None:
        self.count += 1
        await page.screenshot(path=str(SHOTS / f"{self.count:02d}-{name}.png"), full_page=True)
        await page.evaluate(self.axe)
        result = await page.evaluate(
            "async (tags) => (await axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}})).violations"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))",
            WCAG_AA,
        )
        assert result == [], f"{name}: {result}"
        assert self.csp_violations == [], self.csp_violations
        viewport = page.viewport_size
        await page.set_viewport_size({"width": 320, "height": 640})
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{name} needs {width} px at a 320 px width"
        if viewport:
            await page.set_viewport_size(viewport)


async def tick(page: Page, label: str) -> None:
    """Tick a USWDS checkbox or radio the way a person does: by its visible label."""
    await page.locator(f"label:text-is('{label}')").click()
    await expect(page.get_by_label(label, exact=True)).to_be_checked()


async def sign_in(page: Page, screens: Screens, code: str) -> None:
    await page.goto("/")
    await screens.check(page, "logon")
    await page.get_by_label("Access Code").fill(code)
    await page.get_by_role("button", name="Logon").click()


async def test_the_round_trip_of_the_guide_in_a_browser(
    browser: Browser, server: LiveServer
) -> None:
    screens = Screens()
    lea = await screens.open(browser, server)
    # given the LEA signs in with its access code
    await sign_in(lea, screens, server.codes["LEA"][LEA_CDS])
    await expect(lea.get_by_role("heading", level=1)).to_have_text("Canyon Ridge Elementary")
    await screens.check(lea, "lea-overview")
    # the first control reached by keyboard is the skip link
    await lea.keyboard.press("Tab")
    assert await lea.evaluate("document.activeElement.textContent") == "Skip to main content"
    # and at 320 px nothing needs sideways scrolling (checked on every screen)
    await lea.set_viewport_size({"width": 320, "height": 800})
    await lea.screenshot(path=str(SHOTS / "lea-overview-320px.png"), full_page=True)
    await lea.set_viewport_size({"width": 1280, "height": 900})

    # when it searches a student by SSID
    await lea.get_by_label("Search by student name or SSID").fill("1")
    await lea.get_by_role("button", name="Search").click()
    first_ssid = await lea.locator("tbody tr td").first.text_content()
    assert first_ssid and re.fullmatch(r"\d{10}", first_ssid)
    await lea.get_by_label("Search by student name or SSID").fill(first_ssid)
    await lea.get_by_role("button", name="Search").click()
    await expect(lea.locator("#students-count")).to_contain_text("1 sampled student found")
    await screens.check(lea, "sampled-students")

    # and downloads the student records
    async with lea.expect_download() as download_info:
        await lea.get_by_role("link", name="Download Student Records").click()
    download = await download_info.value
    saved = await download.path()
    text = await asyncio.to_thread(Path(saved).read_text, encoding="utf-8")
    assert text.startswith("\ufeffssid,first_name,last_name,birth_date")  # BOM: for Excel
    assert first_ssid in text

    # and records one student's minutes on the worksheet
    await lea.get_by_role("link", name="Minutes worksheet").click()
    await screens.check(lea, "worksheet")
    ssid = await lea.locator("tbody th").first.text_content()
    assert ssid
    await lea.get_by_label(f"Prescribed minutes for {ssid.strip()}").fill("1200")
    await lea.get_by_label(f"Provided minutes for {ssid.strip()}").fill("1180")
    await lea.get_by_role("button", name="Save minutes").click()
    await expect(lea.locator("tbody tr").first).to_contain_text("98.33 %")
    await lea.get_by_role("link", name="Back to the overview").click()

    # and enters the three counts, watching the live total, saves and submits
    n = int(await lea.locator("#sample-size").text_content() or "0")
    await lea.get_by_label("95-100%").fill(str(n - 2))
    await lea.get_by_label("90-94.9%").fill("1")
    await lea.get_by_label("Less Than 90%").fill("1")
    await expect(lea.locator("#total")).to_have_text(str(n))
    await lea.get_by_role("button", name="Save Data").click()
    await expect(lea.locator(".usa-alert--success")).to_contain_text("Data saved.")
    await lea.get_by_role("link", name="Submit IEP Data").click()
    await screens.check(lea, "confirm-and-submit")
    await lea.get_by_role("button", name="Submit IEP Implementation Data").click()
    await expect(lea.locator("#error-summary")).to_be_visible()
    await screens.check(lea, "confirm-and-submit-errors")
    await lea.get_by_label("Name", exact=True).fill("Alex Fairbrook")
    await lea.get_by_label("Title").fill("Director of Special Education")
    await lea.get_by_label("Email").fill("alex.fairbrook@example.org")
    await lea.get_by_label("Phone", exact=True).fill("916-555-0142")
    await tick(lea, "I certify the statement above")
    await lea.get_by_role("button", name="Submit IEP Implementation Data").click()

    # then the overview shows the submission greyed out
    await expect(lea.locator(".portal-status")).to_have_text("Submitted")
    assert await lea.get_by_label("95-100%").is_disabled()
    await screens.check(lea, "lea-submitted")

    # and the receipt prints on one page
    await lea.get_by_role("link", name="Print submission receipt").click()
    await expect(lea.get_by_role("heading", level=1)).to_contain_text("receipt")
    await screens.check(lea, "receipt")
    await lea.emulate_media(media="print")
    pdf = await lea.pdf(format="Letter")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    await lea.emulate_media(media="screen")

    # when the SELPA rejects it with a reason
    selpa = await screens.open(browser, server)
    await sign_in(selpa, screens, server.codes["SELPA"][SELPA_CODE])
    await expect(selpa.get_by_role("heading", level=2, name=f"{CYCLE} Overview")).to_be_visible()
    await screens.check(selpa, "selpa-overview")
    await selpa.get_by_role("link", name="Review Submission of Canyon Ridge Elementary").click()
    await screens.check(selpa, "selpa-review")
    await tick(selpa, "Reject Submission")
    await selpa.get_by_label("Reason for rejection").fill("Category B looks too low; recheck.")
    await selpa.get_by_role("button", name="Save Data and Go To Overview").click()
    await expect(selpa.locator(".usa-alert--success")).to_contain_text("Submission rejected.")

    # then the LEA sees the reason, fixes the counts and resubmits
    await lea.goto(f"/lea/{CYCLE}/{LEA_CDS}")
    await expect(lea.locator(".portal-status")).to_have_text("Rejected")
    await expect(lea.get_by_text("Category B looks too low; recheck.").first).to_be_visible()
    await screens.check(lea, "lea-rejected")
    await lea.get_by_label("95-100%").fill(str(n - 3))
    await lea.get_by_label("90-94.9%").fill("2")
    await lea.get_by_role("button", name="Save Data").click()
    await lea.get_by_role("link", name="Submit IEP Data").click()
    await tick(lea, "I certify the statement above")
    await lea.get_by_role("button", name="Submit IEP Implementation Data").click()
    await expect(lea.locator(".portal-status")).to_have_text("Submitted")

    # and the SELPA approves it; its overview counts it as approved
    await selpa.goto(f"/selpa/{CYCLE}/{SELPA_CODE}")
    await selpa.get_by_role("link", name="Review Submission of Canyon Ridge Elementary").click()
    await tick(selpa, "Approve Submission")
    await selpa.get_by_role("button", name="Save Data and Go To Overview").click()
    # (an approval names and certifies its reviewer: without them it is refused, field by field)
    await expect(selpa.locator("#error-summary")).to_contain_text("reviewerName")
    await selpa.get_by_label("Reviewer name (required to approve)").fill("Dana Reviewer")
    await selpa.get_by_label("Reviewer title (required to approve)").fill("SELPA Director")
    await tick(selpa, "I certify the statement above (required to approve)")
    await selpa.get_by_role("button", name="Save Data and Go To Overview").click()
    await expect(selpa.locator(".usa-alert--success")).to_contain_text("Submission approved.")
    await expect(selpa.locator("#lea-status")).to_contain_text("Approved: 1")
    await screens.check(selpa, "selpa-confirmation")

    # and the SELPA can open any of its LEAs from the drop-down
    await selpa.get_by_label("Enter data for an LEA").select_option("19101990123456")
    await selpa.get_by_role("button", name="Open").click()
    await expect(selpa.get_by_role("heading", level=1)).to_have_text("Summit Charter Academy")

    # when CDE opens its dashboard, grants an extension and sees the approval in the report
    cde = await screens.open(browser, server)
    await sign_in(cde, screens, server.codes["CDE_ADMIN"])
    await expect(cde.get_by_role("heading", level=1)).to_have_text(f"Cycle {CYCLE} dashboard")
    await expect(cde.locator("#state-counts")).to_contain_text("Approved")
    await screens.check(cde, "cde-dashboard")
    await cde.get_by_label("LEA", exact=True).first.select_option("19647330000000")
    await cde.get_by_label("New due date and time (Pacific)").fill("2031-07-15T17:00")
    await cde.get_by_role("button", name="Grant extension").click()
    await expect(cde.locator(".usa-alert--success")).to_contain_text("Extension granted.")
    await expect(cde.get_by_role("heading", name="Extensions")).to_be_visible()
    await cde.get_by_role("link", name="Reports").click()
    await cde.get_by_label("Group by").select_option("SELPA")
    await cde.get_by_role("button", name="Show").click()
    row = cde.locator("tr", has_text="Sierra Vista Regional SELPA")
    await expect(row).to_contain_text("1 / 3")
    await expect(row).to_contain_text(str(n - 3))
    await screens.check(cde, "cde-reports")
    async with cde.expect_download() as report_info:
        await cde.get_by_role("link", name="Download this report (CSV)").click()
    report_file = await (await report_info.value).path()
    report_text = await asyncio.to_thread(Path(report_file).read_text, encoding="utf-8")
    assert "Sierra Vista Regional SELPA" in report_text
    # and publishes the results
    await cde.get_by_role("link", name="Back to the dashboard").click()
    await cde.get_by_role("button", name="Publish results").click()
    await expect(cde.locator(".usa-alert--success")).to_contain_text("Results published.")

    # then anyone sees the published results page, small cells suppressed
    public = await screens.open(browser, server)
    await public.goto("/results")
    await public.get_by_role("link", name=f"IEP Implementation results {CYCLE}").click()
    await public.get_by_label("Group by").select_option("SELPA")
    await public.get_by_role("button", name="Show").click()
    await expect(public.locator("tr", has_text="Sierra Vista Regional SELPA")).to_be_visible()
    await expect(public.locator("table")).to_contain_text("Suppressed")
    await screens.check(public, "public-results")

    # and sign-out ends the session
    await lea.get_by_role("button", name="Sign out").click()
    await expect(lea.get_by_role("heading", level=1)).to_have_text("User Logon")
    await lea.goto(f"/lea/{CYCLE}/{LEA_CDS}")
    await expect(lea.get_by_role("heading", level=1)).to_have_text("User Logon")
    assert screens.offsite == []


async def test_graphiql_renders_and_runs_a_query_with_the_network_off(
    browser: Browser, server: LiveServer
) -> None:
    # given a browser that may reach nothing but the app
    screens = Screens()
    page = await screens.open(browser, server)
    # when GraphiQL is opened and its default query run
    await page.goto("/graphql")
    await expect(page.locator(".graphiql-container")).to_be_visible()
    await page.get_by_role("button", name=re.compile("Execute query")).click()
    # then the answer comes back and the docs pane shows the schema
    await expect(page.locator(".result-window")).to_contain_text("2024-25", timeout=15000)
    await page.get_by_role("button", name="Show Documentation Explorer").click()
    await expect(page.locator(".graphiql-doc-explorer")).to_contain_text("Query")
    await page.screenshot(path=str(SHOTS / "graphiql.png"))
    assert screens.offsite == [] and screens.csp_violations == []
