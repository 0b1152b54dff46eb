"""Real Chromium against pytest-django's live server: pages, keyboard use, axe-core checks and screenshots.

Without Chromium (/usr/bin/chromium, Debian's package) or the playwright package the whole folder is skipped,
so local `make test` runs need neither. With the CI environment variable set, a missing piece fails instead:
CI must never skip these tests silently.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "interop" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
HERE = Path(__file__).resolve().parent

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (360, 1280)
HEIGHT = 800


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is missing (pip install -e '.[dev]')"
    if not AXE_JS.exists():
        return f"{AXE_JS.relative_to(ROOT)} is missing (cd interop && npm ci)"
    return None


def _in_this_folder(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: the `browser` marker is in place before `-m` deselects, even on a test that forgot it.
    reason = _missing()
    for item in items:
        if not _in_this_folder(item):
            continue
        item.add_marker(pytest.mark.browser)
        if reason and not os.environ.get("CI"):
            item.add_marker(pytest.mark.skip(reason=f"browser tests need Chromium: {reason}"))


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        pytest.fail(f"CI is set, so the browser tests must run, but {reason}", pytrace=False)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django would then refuse the
    # test's own (synchronous) database calls. Allowed for this session only, and put back afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def server(live_server, transactional_db):
    """The base URL of the live server; the test and the server share the (transactional) test database."""
    return live_server.url


def csp_violations_watch(context) -> list[str]:
    """Collect what the Content-Security-Policy blocks in any page of `context` (Chromium reports each on
    the console); the list fills as the test goes on."""
    blocked: list[str] = []

    def heard(message) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(f"{message.text} ({message.location.get('url', '')})")

    context.on("console", heard)
    return blocked


@pytest.fixture
def page(browser, server, request):
    """A page in a fresh browser context (no cookies, English) whose relative URLs go to the live server.

    The test fails when the page's Content-Security-Policy blocked anything (an inline script, a handler, a
    style), unless it is marked `csp_violations_expected` (hostile content that the policy must stop)."""
    context = browser.new_context(
        base_url=server,
        locale="en-GB",
        extra_http_headers={"Accept-Language": "en"},
        viewport={"width": WIDTHS[-1], "height": HEIGHT},
    )
    context.set_default_timeout(10_000)
    blocked = csp_violations_watch(context)
    page = context.new_page()
    yield page
    context.close()
    if not request.node.get_closest_marker("csp_violations_expected"):
        assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)


def _format(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return "\n".join(lines)


@pytest.fixture
def axe():
    """axe(page) -> the page's WCAG 2.1 A/AA violations; axe.assert_clean(page) fails listing them."""
    source = AXE_JS.read_text(encoding="utf-8")

    class Axe:
        def __call__(self, page) -> list[dict]:
            if not page.evaluate("() => typeof window.axe !== 'undefined'"):
                # Evaluated through the DevTools protocol, not as an inline <script> the page's policy refuses.
                page.evaluate(source)
            return page.evaluate(
                "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)",
                WCAG_21_AA,
            )

        def assert_clean(self, page) -> None:
            violations = self(page)
            assert not violations, f"axe found WCAG 2.1 A/AA violations on {page.url}:\n{_format(violations)}"

    return Axe()


@pytest.fixture
def screenshot():
    """screenshot(page, name): full-page PNGs at 360 and 1280 px in artifacts/screenshots/; returns the paths."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> list[Path]:
        original = page.viewport_size
        paths = []
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            path = SCREENSHOTS / f"{name}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            paths.append(path)
        if original:
            page.set_viewport_size(original)
        return paths

    return take
