"""Steps shared by the whole-lifecycle browser journeys."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import Page, expect

PASSWORD = "rahasia-panjang-1"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000


def wib(day: int, hour: int, month: int = 3) -> datetime:
    """``hour`` o'clock in Jakarta (UTC+7) on ``day``/``month``/2026, as an aware UTC datetime."""
    return datetime(2026, month, day, hour - 7, 0, tzinfo=UTC)


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """The real /masuk form; officers land on the desk queue, citizens on their requests."""
    page.goto("/masuk")
    form = page.locator("#login-form")
    form.get_by_label("E-mail", exact=True).fill(email)
    form.get_by_label("Kata sandi", exact=True).fill(password)
    form.get_by_role("button", name="Masuk").click()
    expect(page.locator(".notice-success")).to_contain_text("Selamat datang")


def post_and_wait(page: Page, button) -> int:
    """Click a form's button; returns the status of the POST (the page then follows the 303)."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        button.click()
    page.wait_for_load_state()
    return answer.value.status


def flash(page: Page):
    return page.locator(".notice-success")
