"""The language in a real browser: ``?lang=es`` opens Spanish (the document says so; a page in
English only says that, and its document stays English), the sidebar's links keep it,
switching keeps every choice the link holds, and the first visit's steps, once dismissed,
never return in that browser (but do in another)."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.test_browser import DESKTOP, Tab, wait_idle
from tests.test_browser import app_url as app_url  # noqa: F401, PLC0414 (a fixture)
from tests.test_browser import tab as tab  # noqa: F401, PLC0414 (a fixture)

SIDEBAR = '[data-testid="stSidebar"]'


def open_page(tab: Tab, path: str) -> None:
    tab.page.goto(f"{tab.url}/{path}")
    tab.page.locator("h1").first.wait_for()
    wait_idle(tab.page)


def test_spanish_from_the_url_and_the_links_keep_it(tab: Tab) -> None:
    open_page(tab, "?lang=es")
    page = tab.page
    assert page.locator("h1").first.inner_text() == "Mi vecindario"
    assert page.evaluate("document.documentElement.lang") == "es"
    links = [a.get_attribute("href") for a in page.locator(f"{SIDEBAR} a").all()]
    assert links and all(href.endswith("lang=es") for href in links), links
    page.locator(f"{SIDEBAR} a", has_text="Comparar distritos").click()
    page.wait_for_url("**/compare?*lang=es*")
    wait_idle(page)
    # Compare districts is in English only: its content says so, its sidebar is Spanish.
    assert page.get_by_text("Por ahora, esta página solo está en inglés.").is_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator(SIDEBAR).get_attribute("lang") == "es"
    assert "Comparar distritos" in page.locator(f"{SIDEBAR}").inner_text()
    assert not tab.errors, tab.errors


def test_switching_language_keeps_the_choices(tab: Tab) -> None:
    open_page(tab, "?indicator=Rent+burden&show=Your+own+area")
    page = tab.page
    page.locator(f"{SIDEBAR} button", has_text="Español").click()
    page.wait_for_url("**lang=es*")
    page.locator("h1", has_text="Mi vecindario").wait_for()
    wait_idle(page)
    assert "indicator=Carga+del+alquiler" in page.url and "show=Tu+propia+zona" in page.url, page.url
    assert page.get_by_role("combobox", name="Ver en el mapa").input_value() == "Carga del alquiler"
    page.locator(f"{SIDEBAR} button", has_text="English").click()
    page.locator("h1", has_text="My neighbourhood").wait_for()
    wait_idle(page)
    assert "lang=" not in page.url and "indicator=Rent+burden" in page.url, page.url
    assert page.evaluate("document.documentElement.lang") == "en"
    assert not page.locator('[data-testid="stException"]').count()
    assert not tab.errors, tab.errors


def test_a_dismissed_first_visit_never_returns_in_that_browser(tab: Tab, browser: Browser) -> None:
    open_page(tab, "")
    page = tab.page
    steps = page.get_by_text("New here? Three steps to read this page")
    assert steps.is_visible()
    page.get_by_role("button", name="Got it, hide these steps").click()
    steps.wait_for(state="detached")
    wait_idle(page)
    assert any(c["name"] == "jc_intro" for c in page.context.cookies())
    again = page.context.new_page()  # a new Streamlit session in the same browser
    again.goto(f"{tab.url}/?lang=es")
    again.locator("h1", has_text="Mi vecindario").wait_for()
    wait_idle(again)
    assert not again.get_by_text("Tres pasos").count()
    other = browser.new_context(viewport=DESKTOP)  # another browser: the steps are there
    try:
        fresh = other.new_page()
        fresh.goto(f"{tab.url}/")
        fresh.get_by_text("New here? Three steps to read this page").wait_for()
    finally:
        other.close()
