"""Browser test: headless Chromium signs in as a demo operator, generates a fallback number
through the form and reads it on the summary page, then follows the office's console and an
episode page live as a customs officer. Usage: browser_test.py BASE_URL WORK_DIR"""
import datetime
import json
import os
import sys
import time
import urllib.request
import zoneinfo

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

VALUES = {c: i for i, c in enumerate("0123456789")}
v = 10
for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    while v % 11 == 0:
        v += 1
    VALUES[c] = v
    v += 1


def check_digit(first20):
    """The EMCS ARC check digit, written independently of the Swift code under test."""
    total = sum(VALUES[c] * 2 ** i for i, c in enumerate(first20))
    return str(total % 11 % 10)


def main(base, work):
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,900"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    # A French person's browser: the service follows Accept-Language (French by default).
    options.add_argument("--lang=fr-FR")
    options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    wait = WebDriverWait(driver, 20)
    failures = []
    try:
        driver.get(base + "/accueil")
        wait.until(EC.presence_of_element_located((By.ID, "login")))
        driver.find_element(By.ID, "login").send_keys("marie.laurent")
        driver.find_element(By.ID, "password").send_keys("secours-demo-2026")
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait.until(EC.url_contains("/accueil"))

        driver.find_element(By.LINK_TEXT, "Générer un numéro de secours").click()
        wait.until(EC.presence_of_element_located((By.ID, "transport")))
        driver.find_element(By.CSS_SELECTOR, "input[name=type][value=DAE]").click()
        Select(driver.find_element(By.ID, "exciseNumber")).select_by_value("FR007328E0001")
        driver.find_element(By.ID, "transport").send_keys("AB-123-CD")
        tomorrow = (datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Paris")) + datetime.timedelta(days=1)).date()
        # Date and time inputs take locale-dependent keystrokes; set their values directly.
        driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, "dispatchDate"), tomorrow.isoformat())
        driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, "dispatchTime"), "08:30")
        driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
        wait.until(EC.url_contains("/recapitulatif"))

        number = driver.find_element(By.ID, "numero").text.strip()
        driver.save_screenshot(os.path.join(work, "summary.png"))
        year = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Paris")).strftime("%y")
        if len(number) != 21:
            failures.append(f"number {number!r} is not 21 characters long")
        elif not number.startswith(year + "FR007328E0001"):
            failures.append(f"number {number!r} does not start with {year}FR007328E0001")
        elif number[20] != check_digit(number[:20]):
            failures.append(f"number {number!r} has a wrong check digit")
        if "Numéro de secours généré" not in driver.page_source or "Et maintenant ?" not in driver.page_source:
            failures.append("summary page title or next steps missing")
        print(f"summary shows {number}")

        # The filled paper form, fetched with the browser's session.
        link = driver.find_element(By.PARTIAL_LINK_TEXT, "Formulaire de secours rempli")
        href = link.get_attribute("href")
        if not href.endswith(f"/documents/{number}/formulaire.pdf"):
            failures.append(f"form link {href!r} does not point at the document's form")
        else:
            cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
            with urllib.request.urlopen(urllib.request.Request(href, headers={"Cookie": cookies})) as r:
                body = r.read()
                if r.headers.get("Content-Type") != "application/pdf" or not body.startswith(b"%PDF-"):
                    failures.append("the filled form is not a PDF")
                else:
                    print(f"filled form: {len(body)} bytes")

        # « Exporter en CSV » of the search page, clicked: the signed-in browser downloads the
        # search as a file (the link once pointed at the API, which takes bearer tokens only).
        downloads = os.path.join(work, "downloads")
        os.makedirs(downloads, exist_ok=True)
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        driver.get(base + "/rechercher?_go=1&_op_transport=eq&transport=AB-123-CD")
        wait.until(EC.presence_of_element_located((By.LINK_TEXT, "Exporter en CSV")))
        driver.find_element(By.LINK_TEXT, "Exporter en CSV").click()
        csv_path = os.path.join(downloads, "documents-secours.csv")
        deadline = time.time() + 20
        while time.time() < deadline and not os.path.exists(csv_path):
            time.sleep(0.2)
        if not os.path.exists(csv_path):
            failures.append(f"the CSV export downloaded nothing (page: {driver.current_url}, {driver.page_source[:200]!r})")
        else:
            with open(csv_path, encoding="utf-8") as f:
                exported = f.read()
            if number not in exported:
                failures.append("the CSV export does not list the generated number")
            else:
                print(f"CSV export: {len(exported.splitlines())} lines, with {number}")

        # A long text typed in a form and a 10 MB import file sent through the page: both arrive
        # in several reads, and the form's token must still be found (R-NF-3, CSRF).
        driver.get(base + "/episodes")
        wait.until(EC.presence_of_element_located((By.ID, "reason")))
        driver.find_element(By.CSS_SELECTOR, "input[name=basis][value=office-authorisation]").click()
        reason = ("Plus aucune connexion Internet depuis 7 h, la box ne répond plus. " * 20)[:1200]
        driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, "reason"), reason)
        driver.find_element(By.ID, "reason").find_element(By.XPATH, "ancestor::form").submit()
        wait.until(lambda d: "/episodes/" in d.current_url or "a expiré" in d.page_source)
        if "a expiré" in driver.page_source or "/episodes/" not in driver.current_url:
            failures.append("a 1,200-character reason was refused as an expired form")
        else:
            print("episode with a 1,200-character reason: " + driver.current_url.rsplit("/", 1)[-1])
        episode_url = driver.current_url

        yesterday = (datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Paris")) - datetime.timedelta(days=1)).date()
        padding = "<!-- " + "p" * 200_000 + " -->"
        entries = "".join(
            f"<document><numero>{year}FR007328E0002{40000 + i:05d}1</numero><type>DAA</type><numeroAccise>FR007328E0002</numeroAccise>"
            f"<immatriculation>AB-{i:03d}-CD</immatriculation><dateExpedition>{yesterday.isoformat()}</dateExpedition>"
            f"<heureExpedition>07:45</heureExpedition></document>{padding}\n"
            for i in range(50))
        path = os.path.join(work, "import-10mb.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<importGPS>\n' + entries + "</importGPS>\n")
        size = os.path.getsize(path)
        driver.get(base + "/importer")
        wait.until(EC.presence_of_element_located((By.ID, "file")))
        driver.find_element(By.ID, "file").send_keys(path)
        # Sequences 40000 and up are far beyond the last one used: the box confirms them (R-NUM-9).
        driver.find_element(By.ID, "confirmJumps").click()
        driver.find_element(By.ID, "file").find_element(By.XPATH, "ancestor::form").submit()
        wait.until(lambda d: "enregistré(s)" in d.page_source or "a expiré" in d.page_source or "alert" in d.page_source)
        if "50 enregistré(s)" not in driver.page_source:
            failures.append(f"the {size}-byte import file was not imported through the page")
        else:
            print(f"import through the page: {size} bytes, 50 entries")

        live_checks(driver, wait, base, episode_url, tomorrow, failures)
    finally:
        driver.quit()
    for f in failures:
        print("FAIL:", f)
    print(f"browser: {1 if not failures else 0} passed, {len(failures) and 1} failed")
    return 1 if failures else 0


def api(base, method, path, token=None, body=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(base + path, data=data, method=method, headers=headers)) as r:
        return json.loads(r.read() or b"{}")


def live_checks(driver, wait, base, episode_url, tomorrow, failures):
    """The office's console and an episode page are live (R-OFF-1): what an operator does shows
    up in place, the page is never reloaded, and what the officer is typing stays."""
    token = api(base, "POST", "/api/v1/auth/token", body={"login": "marie.laurent", "password": "secours-demo-2026"})["token"]
    driver.delete_all_cookies()
    driver.get(base + "/connexion")
    wait.until(EC.presence_of_element_located((By.ID, "login")))
    driver.find_element(By.ID, "login").send_keys("agent.bordeaux")
    driver.find_element(By.ID, "password").send_keys("secours-demo-2026")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(EC.url_contains("/accueil"))

    driver.get(base + "/bureau")
    wait.until(lambda d: d.execute_script("return document.querySelector('[data-live]').dataset.liveState") == "on")
    driver.execute_script("window.stillThisPage = true")
    number = api(base, "POST", "/api/v1/documents", token, {"type": "DAE", "exciseNumber": "FR007328E0001", "transport": "LIVE-1",
                                                            "dispatchDate": tomorrow.isoformat(), "dispatchTime": "09:00"})["number"]
    try:
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, f'[data-live-list=generated] tr[data-key="{number}"]'))
        if not driver.execute_script("return window.stillThisPage === true"):
            failures.append("the console was reloaded to show a new number")
        else:
            print(f"console: {number} shown live, in place")
    except Exception:
        failures.append(f"the console did not show {number} within 10 s")

    # The officer starts answering a request; meanwhile the operator adds a note to it.
    driver.get(episode_url)
    wait.until(lambda d: d.execute_script("return document.querySelector('[data-live]').dataset.liveState") == "on")
    driver.execute_script("window.stillThisPage = true")
    typed = "Refus : merci de joindre la preuve de l'appel au SAU"
    driver.find_element(By.CSS_SELECTOR, "input[name=decision][value=refuse]").click()
    driver.find_element(By.ID, "comment").send_keys(typed)
    episode = episode_url.rstrip("/").rsplit("/", 1)[-1]
    api(base, "POST", f"/api/v1/episodes/{episode}/evidence", token, {"text": "Appel au SAU, ticket 4521."})
    try:
        WebDriverWait(driver, 10).until(lambda d: "ticket 4521" in d.find_element(By.CSS_SELECTOR, "[data-live-section=journal]").text)
        kept = driver.find_element(By.ID, "comment").get_attribute("value")
        chosen = driver.find_element(By.CSS_SELECTOR, "input[name=decision][value=refuse]").is_selected()
        if kept != typed or not chosen or not driver.execute_script("return window.stillThisPage === true"):
            failures.append(f"the live update touched the officer's answer: {kept!r}, refuse chosen: {chosen}")
        else:
            print("episode page: the operator's note shown live, the officer's half-typed answer kept")
    except Exception:
        failures.append("the episode page did not show the operator's note within 10 s")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
