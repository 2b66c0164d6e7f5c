"""A mixed municipal workload for Locust, against the cluster's front end (deploy/load/run.sh).

Four kinds of visitors, weighted as a municipality's traffic is: citizens reading public pages,
systems reading the public API, respondents answering a questionnaire through an open link, and
staff working in the staff area. A records import runs beside it (run.sh). Each request is
named by its kind (``public``, ``api``, ``respond``, ``staff``) and page, so the report gives
throughput and percentiles per kind of request.
"""

from __future__ import annotations

import re
from typing import Any

from locust import FastHttpUser, between, task

ORGANISATION = "amstelstad"
PUBLIC_PAGES = [
    ("/", "home"),
    (f"/organisaties/{ORGANISATION}/", "organisation"),
    (f"/organisaties/{ORGANISATION}/kwaliteitshandvest/", "charter"),
    (f"/organisaties/{ORGANISATION}/dienstverlening/", "compliance dashboard"),
    ("/organisaties/", "organisations"),
    ("/benchmark/", "benchmark"),
    ("/burgerservicecode/", "code"),
]
API_CALLS = [
    ("/api/v1/organisations", "organisations"),
    (f"/api/v1/organisations/{ORGANISATION}/compliance?period=2026-Q3", "compliance"),
    ("/api/v1/norms", "norms"),
]
STAFF_PAGES = [
    (f"/medewerkers/{ORGANISATION}/", "dashboard"),
    (f"/medewerkers/{ORGANISATION}/handvest/", "charter"),
    (f"/medewerkers/{ORGANISATION}/imports/", "imports"),
]
OPEN_LINK = "/enquete/open/loadtest/"
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
_CHOICE = re.compile(r'<input type="(?:radio|checkbox)" name="([^"]+)" value="([^"]*)"')
_ACTION = re.compile(r'<form[^>]*method="post"[^>]*action="([^"]+)"')


def _form(html: str) -> dict[str, str]:
    """The hidden fields of a page's form, and the first option of every choice question."""
    fields = dict(_HIDDEN.findall(html))
    for name, value in _CHOICE.findall(html):
        fields.setdefault(name, value)
    return fields


class Citizen(FastHttpUser):
    """Reads public pages (the replica serves them when it is current)."""

    weight = 50
    wait_time = between(0.05, 0.3)

    @task
    def every_page(self) -> None:
        """Every public page once, as a visitor browsing."""
        for path, name in PUBLIC_PAGES:
            self.client.get(path, name=f"public {name}")


class ApiClient(FastHttpUser):
    """Reads the public API (open data)."""

    weight = 25
    wait_time = between(0.05, 0.3)

    @task
    def call(self) -> None:
        """Each public API call in turn."""
        for path, name in API_CALLS:
            self.client.get(path, name=f"api {name}")


class Respondent(FastHttpUser):
    """Answers the satisfaction questionnaire through its open link, page by page."""

    weight = 10
    wait_time = between(0.5, 1.5)

    @task
    def answer(self) -> None:
        """Start a response, answer every page with the first option, and finish."""
        self.client.cookiejar.clear()
        start = self.client.get(OPEN_LINK, name="respond start")
        fields = _form(start.text or "")
        answer: Any = self.client.post(
            OPEN_LINK,
            data=fields,
            headers={"Referer": self.host + OPEN_LINK},
            name="respond begin",
            allow_redirects=False,
        )
        for _ in range(8):
            location = answer.headers.get("Location", "")
            if answer.status_code != 302 or "/pagina/" not in location:
                return
            page = self.client.get(location, name="respond page")
            fields = _form(page.text or "")
            fields["action"] = "next"
            answer = self.client.post(
                location,
                data=fields,
                headers={"Referer": self.host + location},
                name="respond save page",
                allow_redirects=False,
            )


class Staff(FastHttpUser):
    """A quality manager at work in the staff area (always read from the primary)."""

    weight = 15
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        """Sign in once (the local cluster runs without the TOTP requirement)."""
        page = self.client.get("/inloggen/", name="staff login form")
        token = _form(page.text or "").get("csrfmiddlewaretoken", "")
        self.client.post(
            "/inloggen/",
            data={
                "csrfmiddlewaretoken": token,
                "username": "kees.kwaliteit",
                "password": "burgerlink-demo",
            },
            headers={"Referer": self.host + "/inloggen/"},
            name="staff login",
        )

    @task
    def work(self) -> None:
        """The staff pages in turn."""
        for path, name in STAFF_PAGES:
            self.client.get(path, name=f"staff {name}")
