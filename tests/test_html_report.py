"""The HTML report: one self-contained page, checked in headless Chromium (Debian's
chromium, driven by Playwright): it renders, its filters work from the keyboard,
hostile descriptions stay text and run nothing, and it loads nothing from anywhere."""

import base64
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image as PILImage
from playwright.sync_api import sync_playwright

from auditor.reports.html import CSP, SCRIPT, STYLE, marked

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
HOSTILE = (
    "<script>window.pwned = 1; document.title = 'pwned'</script>"
    "<img src=x onerror=\\\"window.pwned = 2\\\"> A map of the the high street, in red."
)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """A report of three drafts and a record file, written by the real command."""
    folder = tmp_path_factory.mktemp("html")
    (folder / "banner.png").write_bytes((FIXTURES / "drafts" / "images" / "event-banner.png").read_bytes())
    # A large photo-like image: embedded downscaled, not as its megabytes.
    big = PILImage.effect_mandelbrot((2400, 1600), (-2, -1.2, 1, 1.2), 200).convert("RGB")
    big.save(folder / "big.png")
    drafts = {
        "launch.md": [("banner.png", "igure 2 shows the route of the cycle ride through the park.The start is at the gate.")],
        "hostile.md": [("banner.png", HOSTILE), ("big.png", "Two dogs run across a wet beach at low tide, chasing a red ball.")],
        "clean.md": [("banner.png", "A green banner reading “Summer fair, Saturday 4 June, 10am to 4pm, on the village green”.")],
    }
    for name, images in drafts.items():
        extra = 'ignore = ["L2"]\nignore-reason = "the <b>banner</b> says it all"\n' if name == "clean.md" else ""
        tables = "".join(f'[[images]]\nfile = "{file}"\nalt = "{alt}"\n{extra}\n' for file, alt in images)
        (folder / name).write_text(f"+++\n{tables}+++\nThe post <b>text</b>.\n", encoding="utf-8")
    shutil.copy(FIXTURES / "records" / "images_one.json", folder / "record.json")
    out = folder / "report.html"
    run = subprocess.run(
        [sys.executable, "-P", "-m", "auditor.cli", "check", "--format", "html", "clean.md", "hostile.md", "launch.md", "record.json"],
        cwd=folder, capture_output=True,
    )
    assert run.returncode == 1, run.stderr  # T402 is an error
    out.write_bytes(run.stdout)
    return out


@pytest.fixture(scope="module")
def expected(report) -> list[str]:
    """The codes the engine finds in the same inputs, read without the report."""
    from auditor.engine import Engine
    from auditor.inputs.discover import load_paths

    posts, _ = load_paths([str(report.parent / name) for name in ("clean.md", "hostile.md", "launch.md", "record.json")])
    return [f.code for result in Engine().audit(posts).posts for f in result.all_findings()]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser, report):
    context = browser.new_context(viewport={"width": 1100, "height": 1400})
    page = context.new_page()
    page.requests = []
    page.console = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: page.console.append(message.text))
    page.goto(report.as_uri())
    yield page
    context.close()


def test_the_file_is_self_contained_and_escaped(report):
    text = report.read_text(encoding="utf-8")
    assert re.findall(r'\b(?:src|href)="(?!data:)', text) == []
    assert "<link" not in text and "@import" not in text and "url(" not in text
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in text
    assert "default-src 'none'" in CSP and "unsafe-inline" not in CSP
    # The hostile description and the post's markup are shown as text (words that
    # findings point at are wrapped in <mark>, which is ours).
    assert "<mark>" in text
    text = text.replace("<mark>", "").replace("</mark>", "")
    assert "&lt;script&gt;window.pwned = 1;" in text and "<script>window.pwned" not in text
    assert "onerror=&quot;window.pwned = 2&quot;&gt;" in text and "<img src=x" not in text
    assert "The post &lt;b&gt;text&lt;/b&gt;." in text
    # A draft's exception is shown with its reason.
    assert "Not checked here for L2, because: the &lt;b&gt;banner&lt;/b&gt; says it all" in text
    # Exactly one script and one style: ours, which the CSP's hashes allow.
    assert text.count("<script>") == 1 and text.count("<style>") == 1
    assert f"<script>{SCRIPT}</script>" in text and f"<style>{STYLE}</style>" in text


def test_it_renders_runs_no_hostile_script_and_loads_nothing(page, report, expected):
    assert {"T402", "T403", "T404"} <= set(expected)
    assert page.title() == f"Alt-text audit: {len(expected)} findings in 4 posts"
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.requests == [report.as_uri()]  # the page itself; data: images are not requests
    assert not [line for line in page.console if "Content Security Policy" in line]
    # Our own script ran (the CSP allowed it): the filters are shown and counted.
    assert page.locator("#filters").is_visible()
    assert page.locator("#filter-status").text_content() == f"Showing {len(expected)} of {len(expected)} findings."
    # The hostile description is on the page as its characters.
    assert "<script>window.pwned = 1;" in page.locator(".alt").nth(1).text_content()


def test_screenshot_is_not_blank(page, tmp_path):
    shot = PILImage.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    colours = shot.getcolors(maxcolors=1 << 20)
    assert shot.size[0] == 1100 and shot.size[1] > 1400
    assert len(colours) > 200  # text, thumbnails, borders: not one flat colour
    assert max(count for count, _ in colours) < 0.9 * shot.size[0] * shot.size[1]


def test_thumbnails_beside_descriptions_downscaled_and_records_say_why_not(page):
    images = page.locator(".thumb img")
    assert images.count() == 4  # the record has none
    sizes = []
    for index in range(images.count()):
        src = images.nth(index).get_attribute("src")
        assert images.nth(index).get_attribute("alt") == ""
        picture = PILImage.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
        sizes.append(max(picture.size))
        assert page.evaluate("(i) => document.querySelectorAll('.thumb img')[i].naturalWidth > 0", index)
    assert max(sizes) <= 480  # the 2400-pixel image was downscaled
    assert page.get_by_text("No picture: post records carry only the description").count() == 1


def visible_codes(page) -> list[str]:
    return page.eval_on_selector_all("li.finding:not([hidden])", "items => items.map(i => i.dataset.rule)")


def test_filters_by_rule_and_level_work_from_the_keyboard(page, expected):
    total = len(expected)
    assert sorted(visible_codes(page)) == sorted(expected)
    page.focus("#rule")
    page.select_option("#rule", "T403")
    assert visible_codes(page) == ["T403"] * expected.count("T403")
    assert page.locator("#filter-status").text_content() == f"Showing {expected.count('T403')} of {total} findings."
    # Posts without a T403 finding are hidden with their findings.
    assert page.locator("article.post:not([hidden])").count() == 1
    page.select_option("#rule", "")
    # Space on a focused checkbox toggles it: warnings off leaves the errors.
    page.focus("#level-warning")
    page.keyboard.press("Space")
    assert not page.locator("#level-warning").is_checked()
    codes = visible_codes(page)
    assert codes and all(page.locator(f"li.finding[data-rule='{c}']").first.get_attribute("data-level") != "warning" for c in codes)
    # The reset button, pressed with Enter, shows everything again.
    page.focus("button[type=reset]")
    page.keyboard.press("Enter")
    status = page.locator("#filter-status")
    for _ in range(100):  # the reset handler updates once the form has reset
        if status.text_content() == f"Showing {total} of {total} findings.":
            break
        page.wait_for_timeout(20)
    assert len(visible_codes(page)) == total and page.locator("#level-warning").is_checked()


def test_landmarks_headings_and_labels_for_a_screen_reader(page):
    assert page.locator("header").count() == 1 and page.locator("main").count() == 1
    assert page.get_by_role("navigation", name="Filter the findings").count() == 1
    assert page.locator("h1").count() == 1
    assert page.get_by_role("heading", name="Summary").count() == 1
    assert page.get_by_role("heading", name=re.compile(r"^Post 2: hostile\.md$")).count() == 1
    assert page.get_by_role("heading", name="Image 2 of 2").count() == 1
    # Every control has a label a screen reader reads out.
    unlabelled = page.evaluate(
        "Array.from(document.querySelectorAll('input, select')).filter(e => !e.labels || !e.labels.length).length"
    )
    assert unlabelled == 0
    assert page.get_by_role("checkbox", name="Errors").count() == 1
    assert page.get_by_role("combobox", name="Show rule").count() == 1
    assert page.get_by_role("button", name="Show everything").count() == 1
    assert page.get_by_role("status").count() == 1
    # Levels are words, not only colours.
    assert page.locator("li.finding .level").first.text_content() in {"Error:", "Warning:", "Note:"}


def test_marked_words_are_escaped_and_highlighted():
    from auditor.model import Finding, Level, Span

    found = [Finding("T403", Level.WARNING, "x", 1, Span(4, 11)), Finding("W999", Level.INFO, "y", 1, Span(8, 15))]
    assert marked("<b> the the <i>x", found) == "&lt;b&gt; <mark>the the &lt;i&gt;</mark>x"
