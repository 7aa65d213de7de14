"""The web console in a real headless Chromium (Debian's, driven by Playwright) against a real
server: a user signs in, composes, watches, plays, downloads and deletes.

Every step leaves a screenshot in ``test-artifacts/console/`` (gitignored) to look at.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.e2e.conftest import API_KEY, Server

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "console"
SCRIPT = "Hello, I am Lisa. This video was made in the studio."


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, never a downloaded build; the test fails when it is missing."""
    assert os.access(CHROMIUM, os.X_OK), "Chromium is missing: apt-get install chromium"
    with sync_playwright() as playwright:
        found = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield found
        found.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    found = context.new_page()
    errors: list[str] = []
    found.on("pageerror", lambda exc: errors.append(str(exc)))
    yield found
    context.close()
    assert not errors, f"the page raised: {errors}"


def shot(page: Page, name: str, full: bool = True) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if full:  # from the top, so the sticky header is drawn once, at the top
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=full)


def sign_in(page: Page, key: str) -> None:
    page.fill("#signin-key", key)
    page.press("#signin-key", "Enter")


def test_a_wrong_key_shows_the_apis_message(served: Server, page: Page) -> None:
    answer = httpx2.get(
        f"{served.url}/avatar/characters", headers={"Ocp-Apim-Subscription-Key": "wrong"}
    )
    page.goto(served.url)
    shot(page, "01-signin")
    sign_in(page, "wrong")
    expect(page.locator("#signin-error")).to_have_text(answer.json()["error"]["message"])
    expect(page.locator("#app")).to_be_hidden()
    shot(page, "02-wrong-key")


def compose(page: Page) -> None:
    """Lisa (chosen with the keyboard), a female voice, a gesture from her style's menu, two
    sentences, in HD."""
    page.focus("input[name=character]:checked")
    for _ in range(page.locator("input[name=character]").count()):
        if page.is_checked("input[name=character][value=lisa]"):
            break
        page.keyboard.press("ArrowRight")
    expect(page.locator("input[name=character][value=lisa]")).to_be_checked()
    expect(page.locator("#voice")).to_have_value("en-US-AvaMultilingualNeural")
    page.select_option("#gender", "Female")
    page.select_option("#voice", "en-US-JennyNeural")
    page.fill("#script", SCRIPT)
    page.locator("#script").evaluate("area => area.setSelectionRange(0, 0)")
    gesture = page.input_value("#gesture")  # the style's first gesture
    page.click("#gesture-insert")
    expect(page.locator("#kind-ssml")).to_be_checked()
    ssml = page.input_value("#script")
    assert '<voice name="en-US-JennyNeural">' in ssml
    assert f"<bookmark mark='gesture.{gesture}'/>Hello, I am Lisa." in ssml
    page.select_option("#size", "1280x720")  # HD: cheaper to draw than the default Full HD
    page.fill("#title", "Studio test")


def test_the_console_makes_plays_downloads_and_deletes_a_video(served: Server, page: Page) -> None:
    page.goto(served.url)
    sign_in(page, API_KEY)
    expect(page.locator("#app")).to_be_visible()
    shot(page, "03-signed-in")
    compose(page)
    shot(page, "04-composed")

    page.click("#submit")
    job = page.locator("li.job", has_text="Studio test")
    expect(job).to_have_count(1)
    shot(page, "05-submitted", full=False)
    expect(job.locator(".status")).to_have_text("Ready", timeout=240_000)
    expect(job.locator(".progress-bar")).to_have_attribute("style", "width: 100%;")
    assert "0:0" in job.locator(".job-meta").inner_text()  # a few seconds long
    expect(job.locator(".job-meta")).to_contain_text("1280×720")
    shot(page, "06-ready", full=False)

    job.locator(".play").click()
    page.wait_for_function(
        "() => { const v = document.getElementById('player');"
        " return v.duration > 0 && v.currentTime > 0.5; }",
        timeout=30_000,
    )
    cues = page.evaluate("document.getElementById('player').textTracks[0].cues.length")
    assert cues >= 1
    shot(page, "07-playing", full=False)

    with page.expect_download() as download:
        job.locator(".dl-summary").click()
    saved = ARTIFACTS / "summary.json"
    download.value.save_as(saved)
    summary = json.loads(saved.read_text())
    assert summary["status"] == "Succeeded"
    assert summary["results"][0]["TalkingAvatarCharacter"] == "lisa"

    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "08-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    job_id = job.get_attribute("data-id")
    job.locator(".delete").click()
    job.locator(".delete").click()  # the second press confirms
    expect(page.locator("li.job")).to_have_count(0)
    expect(page.locator("#jobs-empty")).to_be_visible()
    shot(page, "09-deleted", full=False)
    gone = httpx2.get(
        f"{served.url}/avatar/batchsyntheses/{job_id}?api-version=2024-08-01",
        headers={"Ocp-Apim-Subscription-Key": API_KEY},
    )
    assert gone.status_code == 404
