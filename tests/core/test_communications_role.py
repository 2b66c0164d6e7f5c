"""The communications role sees aggregates only: no response-level export or download anywhere.

Every export the platform hands out goes through the export kit's registry, and every staff URL
is discovered from the URLconf, so kinds and pages added later are held to the same rule.
"""

from __future__ import annotations

import re

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from burgerlink.core.exports.registry import kinds
from burgerlink.core.models import Export, ExportStatus, Organisation, Role, User
from burgerlink.core.permissions import ROLE_PERMISSIONS
from tests.conftest import client_for
from tests.core.test_tenancy import STAFF_URLS

# What a file of rows looks like when it is handed out (attachments of these types).
ROW_FILES = ("text/csv", "spreadsheetml", "application/x-spss", "application/zip", "octet-stream")


def _named_routes(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> list[tuple[str, str]]:
    routes: list[tuple[str, str]] = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += _named_routes(pattern.url_patterns, route)
        else:
            routes.append((route, pattern.name or ""))
    return routes


def export_routes() -> list[str]:
    """Every staff URL that requests, lists or downloads an export or a list of people's rows."""
    return [
        route
        for route, name in _named_routes(get_resolver().url_patterns)
        if route.startswith("medewerkers/<slug:slug>/")
        and re.search(r"export|download|signature", f"{route} {name}")
    ]


def fill(route: str, export_id: int) -> str:
    """The route as a URL of Amstelstad, pointing at one export (other ids: 1)."""
    url = route.replace("<slug:slug>", "amstelstad").replace("<int:export_id>", str(export_id))
    url = url.replace("<str:file_format>", "csv")
    url = re.sub(r"<int:\w+>", "1", url)
    return "/" + re.sub(r"<(?:str:|slug:)?\w+>", "x", url)


def finished_exports(organisation: Organisation) -> list[Export]:
    """One finished export with a file of every registered kind."""
    made = []
    for kind in kinds():
        export = Export.objects.create(
            organisation=organisation,
            kind=kind.name,
            subject="1",
            file_format="csv",
            status=ExportStatus.DONE,
            rows_total=1,
            rows_done=1,
        )
        export.file.save(f"exports/{organisation.pk}/test-{export.pk}.csv", ContentFile(b"a\n1\n"))
        made.append(export)
    return made


def test_no_export_kind_is_open_to_communications() -> None:
    registered = {kind.name: kind.permission for kind in kinds()}
    # The kinds of today, so this test cannot pass by finding none.
    assert {"surveys.responses", "charters.compensation_register"} <= set(registered)
    for name, permission in registered.items():
        assert permission not in ROLE_PERMISSIONS[Role.COMMUNICATIONS], name


def test_every_export_and_download_is_refused_to_communications(
    amstelstad: Organisation, carla_comms: User, anna_admin: User
) -> None:
    routes = export_routes()
    assert any("compensatie/exports/<int:export_id>/download" in r for r in routes)
    assert any("resultaten/exports/<int:export_id>/download" in r for r in routes)
    assert any("handtekeningen.<str:file_format>" in r for r in routes)  # petitions' lists
    comms, admin = client_for(carla_comms), client_for(anna_admin)
    downloaded = set()
    for export in finished_exports(amstelstad):
        for route in routes:
            url = fill(route, export.pk)
            answer = comms.get(url)
            assert answer.status_code in {403, 404, 405}, url
            assert comms.post(url, {"formaat": "csv"}).status_code in {403, 404, 405}, url
            if "download" in route and admin.get(url).status_code == 200:
                downloaded.add(export.kind)
    # The same URLs do hand out every kind's file to an administrator.
    assert downloaded == {kind.name for kind in kinds()}
    assert not Export.objects.filter(created_by=carla_comms).exists()


def test_no_staff_page_hands_communications_a_file_of_rows(
    amstelstad: Organisation, carla_comms: User
) -> None:
    comms = client_for(carla_comms)
    for url in STAFF_URLS:
        response = comms.get(url)
        if response.status_code != 200:
            continue
        disposition = response.get("Content-Disposition", "")
        content_type = response.get("Content-Type", "")
        assert not (
            disposition.startswith("attachment") and any(t in content_type for t in ROW_FILES)
        ), url
