"""Steps the browser tests share."""

from __future__ import annotations


def log_in(page, username: str, password: str, next_url: str = "") -> None:
    """Log in through the login page's form (there are other forms on the page: the
    language switch), then wait for the page it leads to."""
    page.goto(f"/masuk/?next={next_url}" if next_url else "/masuk/")
    form = page.locator("#main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")


def overflow(page) -> int:
    """How many pixels the page scrolls sideways (0 when it fits its viewport)."""
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )
