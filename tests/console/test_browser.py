"""The review console in Debian's chromium, headless, against `article-pipeline serve`.

Drops the sample article through the page's file picker and a hostile one through a drop
event, waits for both to be stored, then checks the article page against the record:
every entity mention and figure marked where the record puts it, and the hostile headline
shown as text. Then plays an attacker's page: a rebound name, a cross-site form and
fetch, all refused. Screenshots go to test-output/console/ (kept after the run for a look).
"""

from __future__ import annotations

import os
import shutil

import pytest

from article_pipeline_local.emulation.cloud import LOCAL_CREDENTIALS
from article_pipeline_local.commands.queries import show
from article_pipeline_local.emulation.remote import local_target
from support import ROOT, SAMPLE

pytestmark = pytest.mark.slow

OUTPUT = ROOT / "test-output" / "console"
#: Flags that keep a headless chromium to itself: no sandbox (root), no GPU, no calls out.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,1600",
    # An attacker's name that resolves to this machine, as after DNS rebinding (no DNS asked).
    f"--host-resolver-rules=MAP {'evil.test'} 127.0.0.1",
)
HOSTILE_TITLE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> Harbour & "Bridge"'
HOSTILE = f"{HOSTILE_TITLE}\n\n\nInspectors in Oslo said on Monday that 12 bridges need repairs costing about $5 million.\n"


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        message = "Debian's chromium and chromium-driver are not installed (`make browser` installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs them: their absence there is a failure
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    # A driver path given: Selenium Manager (which would download one) never runs.
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for_state(driver, file_name: str, timeout: float = 180) -> str:
    from selenium.webdriver.support.ui import WebDriverWait

    def final(d):
        state = d.execute_script(
            "const row = [...document.querySelectorAll('#drops tbody tr')].find(r => r.dataset.key === arguments[0]);"
            "return row ? row.dataset.state : null;", f"incoming/{file_name}")
        return state if state in ("stored", "failed") else None

    return WebDriverWait(driver, timeout, poll_frequency=0.5).until(final)


DROP_SCRIPT = """
const [name, text] = arguments;
const data = new DataTransfer();
data.items.add(new File([text], name, {type: "text/plain"}));
const zone = document.getElementById("dropzone");
for (const type of ["dragover", "drop"]) {
  zone.dispatchEvent(new DragEvent(type, {dataTransfer: data, bubbles: true, cancelable: true}));
}
"""

MARKS_SCRIPT = """
const text = document.getElementById("text");
return {
  mentions: [...text.querySelectorAll("mark.entity")].map(m => ({
    entity: +m.dataset.entity, mention: +m.dataset.mention, label: m.dataset.label, text: m.textContent, title: m.title,
    colour: getComputedStyle(m).backgroundColor})),
  figures: [...text.querySelectorAll("span.figure")].map(f => ({figure: +f.dataset.figure, text: f.textContent, title: f.title})),
  legend: [...document.querySelectorAll(".legend .label")].map(l => l.textContent),
};
"""


def test_drop_watch_and_read_an_article_in_the_browser(server, browser, monkeypatch):
    from selenium.webdriver.common.by import By

    for key, value in LOCAL_CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    browser.get(server.console)
    assert "No articles" in browser.find_element(By.TAG_NAME, "main").text

    # Drop: the sample through the file picker, the hostile article through a drop event.
    browser.find_element(By.LINK_TEXT, "Drop").click()
    browser.find_element(By.ID, "files").send_keys(str(SAMPLE))
    browser.execute_script(DROP_SCRIPT, "hostile.txt", HOSTILE)
    assert wait_for_state(browser, SAMPLE.name) == "stored"
    assert wait_for_state(browser, "hostile.txt") == "stored"
    browser.save_screenshot(str(OUTPUT / "drop.png"))

    # The record, as `show` reads it from the endpoint the functions wrote to.
    target = local_target(server.endpoint)
    dynamodb = target.client("dynamodb")
    record = show(dynamodb, target.table, target.bucket, f"incoming/{SAMPLE.name}")
    assert record["status"] == "processed" and record["entities"] and record["figures"]

    # Articles list: both, linked; the status filter keeps only what it names.
    browser.find_element(By.LINK_TEXT, "Articles").click()
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.articles tbody tr")) == 2
    browser.get(server.console + "?status=failed")
    assert not browser.find_elements(By.CSS_SELECTOR, "table.articles tbody tr")
    browser.get(server.console)
    browser.find_element(By.LINK_TEXT, record["title"]).click()

    # Article page: every mention and figure marked where the record puts them.
    marks = browser.execute_script(MARKS_SCRIPT)
    text = record["text"]
    expected_mentions = {
        (i, j): (entity["label"], text[m["start"] : m["end"]])
        for i, entity in enumerate(record["entities"]) for j, m in enumerate(entity["mentions"])
    }
    assert {(m["entity"], m["mention"]): (m["label"], m["text"]) for m in marks["mentions"]} == expected_mentions
    assert len(marks["mentions"]) == len(expected_mentions)
    for mark in marks["mentions"]:
        entity = record["entities"][mark["entity"]]
        assert mark["title"].startswith(f"{entity['name']} ({entity['label']})")
        assert all(alias in mark["title"] for alias in entity["aliases"])
        assert mark["colour"] != "rgba(0, 0, 0, 0)"  # drawn in its label's colour
    shown_figures: dict[int, str] = {}
    for part in marks["figures"]:
        shown_figures[part["figure"]] = shown_figures.get(part["figure"], "") + part["text"]
    assert shown_figures == {i: figure["text"] for i, figure in enumerate(record["figures"])}
    for part in marks["figures"]:
        figure = record["figures"][part["figure"]]
        assert all(str(figure[k]) in part["title"] for k in ("unit", "qualifier", "subject") if figure.get(k))
    assert sorted(marks["legend"]) == sorted({entity["label"] for entity in record["entities"]})
    # Captions, credits and the removed boilerplate are on the page too.
    page = browser.find_element(By.TAG_NAME, "main").text
    assert all(image["credit"] in page for image in record["images"] if image.get("credit"))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".removed del")) == len(record["removed"])
    browser.save_screenshot(str(OUTPUT / "article.png"))

    # The hostile headline is text: shown as written, and no script of it ran.
    hostile = show(dynamodb, target.table, target.bucket, "incoming/hostile.txt")
    assert hostile["title"] == HOSTILE_TITLE
    browser.get(f"{server.console}articles/{hostile['article_id']}")
    assert browser.find_element(By.CSS_SELECTOR, "h1.title").text == HOSTILE_TITLE
    assert not browser.find_elements(By.CSS_SELECTOR, "main script, main img")
    assert browser.execute_script("return window.pwned === undefined")
    browser.get(server.console)
    assert HOSTILE_TITLE in browser.find_element(By.CSS_SELECTOR, "table.articles").text
    assert browser.execute_script("return window.pwned === undefined")
    browser.save_screenshot(str(OUTPUT / "hostile.png"))

    # Entity search: the entity-item Query behind `search`, with counts and salience.
    name = max(record["entities"], key=lambda entity: entity["salience"])["name"]
    browser.get(f"{server.console}search?entity={name}")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.results tbody tr")
    assert record["title"] in [row.find_element(By.TAG_NAME, "a").text for row in rows]

    # A mark is a link to its entity's page, which lists the article.
    from selenium.webdriver.support.ui import WebDriverWait

    top = max(record["entities"], key=lambda entity: entity["salience"])
    browser.get(f"{server.console}articles/{record['article_id']}")
    browser.find_element(By.CSS_SELECTOR, f'#text a.entity mark[data-entity="{record["entities"].index(top)}"]').click()
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "section.entity-page"))
    assert browser.find_element(By.CSS_SELECTOR, "section.entity-page").get_attribute("data-identity") == top["id"]
    assert record["title"] in browser.find_element(By.CSS_SELECTOR, "table.articles").text
    browser.save_screenshot(str(OUTPUT / "entity.png"))


ATTACK_PAGE = """<!doctype html><title>attack</title>
<form id="replay" method="post" action="{console}articles/{article_id}/replay"></form>
<script>
const upload = new FormData();
upload.append("key", "incoming/planted.txt");
upload.append("file", new Blob(["planted"], {{type: "text/plain"}}), "planted.txt");
fetch("{endpoint}/{bucket}", {{method: "POST", mode: "no-cors", body: upload}})
  .finally(() => document.getElementById("replay").submit());
</script>"""


def test_an_attackers_page_gets_nothing_from_the_server(server, browser, monkeypatch):
    """The issue's attacks from a real browser: rebinding reads no console; a cross-site upload
    (S3 takes form POSTs) and a cross-site replay form are refused."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import urlsplit

    from selenium.webdriver.common.by import By

    for key, value in LOCAL_CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    port = urlsplit(server.endpoint).port
    target = local_target(server.endpoint)
    queue = target.queues["ReplayQueue"]
    page = ATTACK_PAGE.format(console=server.console, article_id="any", endpoint=server.endpoint, bucket=target.bucket).encode()

    class Attacker(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    attacker = ThreadingHTTPServer(("127.0.0.1", 0), Attacker)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    try:
        # Rebinding: evil.test now resolves to 127.0.0.1, and the page asks for the console.
        browser.get(f"http://evil.test:{port}/_console/")
        assert "is not this server" in browser.find_element(By.TAG_NAME, "body").text
        # The cross-site form and fetch: the browser lands on the guard's refusal.
        browser.get(f"http://evil.test:{attacker.server_address[1]}/")
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.support.ui import WebDriverWait

        # The page navigates away on its own (the form's submit): a body found on the attack
        # page is stale by the time its text is asked for, and the next poll finds the new one.
        WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda d: "not served" in d.find_element(By.TAG_NAME, "body").text
        )
        assert urlsplit(browser.current_url).path.endswith("/replay")
    finally:
        attacker.shutdown()
        attacker.server_close()
    assert "Contents" not in target.client("s3").list_objects_v2(Bucket=target.bucket, Prefix="incoming/")
    assert not target.client("sqs").receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages")
