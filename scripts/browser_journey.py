"""Browser test of the operator in a hurry, in headless Chromium against a running demo server:
a page asked for signed out comes back after sign-in, a form sent after the session ended is
kept, a slow form with the prefilled time goes through, the same movement sent twice is
questioned, pages at 320 and 390 px never scroll sideways and the number stays on one line, and
axe-core (shipped by the PyPI package axe-core-python) finds no violation on any page at 320, 390
and 1280 px. With SCREENSHOTS=DIR, keeps screenshots of the main pages at both phone widths.
Usage: browser_journey.py BASE_URL WORK_DIR"""
import datetime
import os
import sys
import zoneinfo

from axe_core_python.selenium import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

PASSWORD = "secours-demo-2026"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


class Journey:
    def __init__(self, base, work):
        self.base, self.work = base, work
        options = webdriver.ChromeOptions()
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--hide-scrollbars"):
            options.add_argument(arg)
        options.binary_location = "/usr/bin/chromium"
        # A French person's browser: the service follows Accept-Language (French by default).
        options.add_argument("--lang=fr-FR")
        options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.wait = WebDriverWait(self.driver, 20)
        self.failures = []
        self.axe = Axe()
        self.checked = 0

    def fail(self, message):
        print("FAIL:", message)
        self.failures.append(message)

    def go(self, path):
        self.driver.get(self.base + path)

    def sign_in(self, login, expect=None):
        d = self.driver
        self.wait.until(EC.presence_of_element_located((By.ID, "login")))
        d.find_element(By.ID, "login").send_keys(login)
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        d.find_element(By.ID, "password").find_element(By.XPATH, "ancestor::form").submit()
        self.wait.until(lambda d: "/connexion" not in d.current_url or "Se déconnecter" in d.page_source)

    def fill_generation(self, transport, date, time=None):
        d = self.driver
        self.wait.until(EC.presence_of_element_located((By.ID, "transport")))
        d.find_element(By.CSS_SELECTOR, "input[name=type][value=DAE]").click()
        Select(d.find_element(By.ID, "exciseNumber")).select_by_value("FR007328E0001")
        d.find_element(By.ID, "transport").clear()
        d.find_element(By.ID, "transport").send_keys(transport)
        d.execute_script("arguments[0].value = arguments[1]", d.find_element(By.ID, "dispatchDate"), date)
        if time:
            d.execute_script("arguments[0].value = arguments[1]", d.find_element(By.ID, "dispatchTime"), time)

    def submit_generation(self):
        self.driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()

    # The journeys

    def signed_out_page_comes_back(self):
        d = self.driver
        d.delete_all_cookies()
        self.go("/rechercher?_go=1&_op_transport=eq&transport=AB-123-CD")
        self.wait.until(EC.presence_of_element_located((By.ID, "login")))
        if "suite=" not in d.current_url:
            self.fail(f"a signed-out page did not send to the sign-in with its return: {d.current_url}")
        if "Incident en cours" not in d.page_source:
            self.fail("the sign-in page does not show the current outage")
        self.sign_in("marie.laurent")
        if "/rechercher" not in d.current_url:
            self.fail(f"after sign-in the person landed on {d.current_url}, not the page asked for")
        else:
            print("signed out → sign-in → back on the page asked for")

    def stale_sign_in_page_signs_in(self):
        d = self.driver
        d.delete_all_cookies()
        self.go("/connexion")
        self.wait.until(EC.presence_of_element_located((By.ID, "login")))
        # Hours pass: whatever session the page knew is gone.
        d.delete_all_cookies()
        self.sign_in("marie.laurent")
        if "/accueil" not in d.current_url:
            self.fail(f"a sign-in page left open did not sign in: {d.current_url} {d.page_source[:200]!r}")
        else:
            print("a sign-in page left open still signs in")

    def expired_session_keeps_the_form(self, tomorrow):
        d = self.driver
        self.go("/generer")
        self.fill_generation("KEPT-1", tomorrow, "09:10")
        d.delete_all_cookies()  # the session ends while the operator types
        self.submit_generation()
        self.wait.until(EC.presence_of_element_located((By.ID, "login")))
        if "saisie est conservée" not in d.page_source:
            self.fail("after the session ended the sign-in page does not say the form is kept")
        self.sign_in("marie.laurent")
        self.wait.until(lambda d: "Envoyer ma saisie" in d.page_source or "/accueil" in d.current_url)
        if "KEPT-1" not in d.page_source:
            self.fail("the kept form does not show what was typed")
            return
        d.find_element(By.XPATH, "//button[contains(., 'Envoyer ma saisie')]").click()
        self.wait.until(EC.url_contains("/recapitulatif"))
        print("session ended mid-form: signed in again, the typed form sent, " + d.find_element(By.ID, "numero").text)

    def slow_form_with_the_default_time(self):
        d = self.driver
        now = datetime.datetime.now(PARIS)
        if now.hour == 23 and now.minute >= 58:
            print("slow form: skipped at midnight")
            return
        self.go("/generer")
        self.wait.until(EC.presence_of_element_located((By.ID, "transport")))
        # The page as it was shown a minute ago: its prefilled time (and the time it remembers) is past.
        earlier = (now - datetime.timedelta(minutes=1)).strftime("%H:%M")
        d.execute_script("arguments[0].value = arguments[1]", d.find_element(By.ID, "dispatchTime"), earlier)
        d.execute_script("document.querySelector('input[name=_defaultTime]').value = arguments[0]", earlier)
        self.fill_generation("SLOW-1", now.date().isoformat())
        self.submit_generation()
        self.wait.until(lambda d: "/recapitulatif" in d.current_url or "erreurs" in d.page_source)
        if "/recapitulatif" not in d.current_url:
            self.fail("a form left a minute with its prefilled time was refused")
        else:
            print("slow form with the prefilled time: accepted")

    def same_movement_twice_warns(self, tomorrow):
        d = self.driver
        self.go("/generer")
        self.fill_generation("TWICE-1", tomorrow, "10:40")
        self.submit_generation()
        self.wait.until(EC.url_contains("/recapitulatif"))
        first = d.find_element(By.ID, "numero").text.strip()
        d.back()
        self.fill_generation("TWICE-1", tomorrow, "10:40")
        self.submit_generation()
        self.wait.until(lambda d: "erreurs" in d.page_source or "/recapitulatif" in d.current_url)
        if "/recapitulatif" in d.current_url:
            self.fail("back + Valider issued a second number without a warning")
            return
        if first not in d.page_source:
            self.fail("the same-movement warning does not name the first number")
        focused = d.execute_script("return document.activeElement && document.activeElement.id")
        if focused != "erreurs":
            self.fail(f"after a refused submit the focus is on {focused!r}, not the error summary")
        print(f"back + Valider: warned, pointing at {first}; focus on the summary")

    def phone_widths(self, pages):
        d = self.driver
        for width in (320, 390):
            d.set_window_size(width, 900)
            for name, path in pages:
                self.go(path)
                self.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
                over = d.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                if over > 0:
                    self.fail(f"{path} scrolls sideways by {over} px at {width} px")
                lines = d.execute_script("""const n = document.getElementById('numero'); if (!n) return 0;
                    const r = document.createRange(); r.selectNodeContents(n);
                    return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size""")
                if lines > 1:
                    self.fail(f"the number breaks over {lines} lines on {path} at {width} px")
                height = d.execute_script("const h = document.querySelector('header'); return h ? h.getBoundingClientRect().height : 0")
                if height > 120:
                    self.fail(f"the header of {path} takes {height} px at {width} px")
                shots = os.environ.get("SCREENSHOTS")
                if shots:
                    os.makedirs(shots, exist_ok=True)
                    d.save_screenshot(os.path.join(shots, f"{name}-{width}.png"))
        d.set_window_size(1280, 900)
        print(f"phone widths: {len(pages)} pages at 320 and 390 px")

    def accessible(self, pages):
        d = self.driver
        for width in (320, 390, 1280):
            d.set_window_size(width, 900)
            for _, path in pages:
                self.go(path)
                self.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
                result = self.axe.run(d, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
                self.checked += 1
                for v in result["violations"]:
                    targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
                    self.fail(f"axe {v['id']} on {path} at {width} px: {v['help']} ({targets})")
        d.set_window_size(1280, 900)
        print(f"axe-core: {self.checked} page states checked")

    def in_english(self):
        """The footer's switch: the pages in English, at phone widths and for axe-core too, then
        back to French; the choice is kept through the sign-in."""
        d = self.driver
        d.delete_all_cookies()
        self.go("/meteo")
        d.find_element(By.CSS_SELECTOR, "a[hreflang=en]").click()
        self.wait.until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
        if "/meteo" not in d.current_url or "Online services weather" not in d.page_source:
            self.fail(f"the English switch did not come back to the weather page in English ({d.current_url})")
        self.go("/connexion")
        self.sign_in("marie.laurent")
        if d.find_element(By.TAG_NAME, "html").get_attribute("lang") != "en":
            self.fail("the language chosen was lost through the sign-in")
        english = [("en-meteo", "/meteo"), ("en-diagnostic-gamma", "/diagnostic/gamma"), ("en-accueil", "/accueil"),
                   ("en-generer", "/generer"), ("en-accessibilite", "/accessibilite")]
        self.phone_widths(english)
        self.accessible(english)
        d.find_element(By.CSS_SELECTOR, "a[hreflang=fr]").click()
        self.wait.until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr")

    def run(self):
        d = self.driver
        tomorrow = (datetime.datetime.now(PARIS) + datetime.timedelta(days=1)).date().isoformat()
        try:
            public = [("connexion", "/connexion"), ("meteo", "/meteo"), ("diagnostic", "/diagnostic"),
                      ("diagnostic-gamma", "/diagnostic/gamma"), ("accessibilite", "/accessibilite"),
                      ("mentions-legales", "/mentions-legales"), ("donnees-personnelles", "/donnees-personnelles")]
            d.delete_all_cookies()
            self.phone_widths(public)
            self.accessible(public)

            self.signed_out_page_comes_back()
            self.stale_sign_in_page_signs_in()
            self.expired_session_keeps_the_form(tomorrow)
            number = d.find_element(By.ID, "numero").text.strip() if "/recapitulatif" in d.current_url else None
            self.slow_form_with_the_default_time()
            self.same_movement_twice_warns(tomorrow)

            operator = [("accueil", "/accueil"), ("generer", "/generer"), ("enregistrer", "/enregistrer"),
                        ("rechercher", "/rechercher"), ("resultats", "/rechercher?_go=1&_op_transport=eq&transport=TWICE-1"),
                        ("suivre", "/suivre"), ("importer", "/importer"), ("episodes", "/episodes"), ("drm", "/drm"),
                        ("communiquer", "/communiquer"), ("assistance", "/assistance")]
            if number:
                operator += [("recapitulatif", f"/documents/{number}/recapitulatif"), ("document", f"/documents/{number}")]
            self.phone_widths(operator)
            self.accessible(operator)
            # A refused form, with its error summary.
            for width in (320, 390, 1280):
                d.set_window_size(width, 900)
                self.go("/generer")
                self.wait.until(EC.presence_of_element_located((By.ID, "transport")))
                self.submit_generation()
                self.wait.until(EC.presence_of_element_located((By.ID, "erreurs")))
                for v in self.axe.run(d)["violations"]:
                    self.fail(f"axe {v['id']} on the refused generation form at {width} px: {v['help']}")
                self.checked += 1
            d.set_window_size(1280, 900)

            d.delete_all_cookies()
            self.go("/connexion")
            self.sign_in("agent.bordeaux")
            officer = [("bureau", "/bureau"), ("agent-accueil", "/accueil")]
            self.phone_widths(officer)
            self.accessible(officer)

            d.delete_all_cookies()
            self.go("/connexion")
            self.sign_in("cid.admin")
            cid = [("cid-meteo", "/meteo")]
            self.phone_widths(cid)
            self.accessible(cid)

            self.in_english()
        finally:
            d.quit()
        print(f"browser journey: {len(self.failures)} failure(s), {self.checked} page states checked by axe-core")
        return 1 if self.failures else 0


if __name__ == "__main__":
    sys.exit(Journey(sys.argv[1], sys.argv[2]).run())
