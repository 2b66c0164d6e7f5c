"""Public pages cached by data version: rendered once per change of what they show.

Rendering a public page costs far more than reading one number, and what a page shows changes
only when its data does (an import, a published charter, a closing day, an edited organisation).
Each organisation has a data version (``DataVersion``), and the platform one (scope 0) for pages
across organisations; ``bump_data_version`` raises both in the transaction that changes the data.
An anonymous GET of a public page is answered from the cache when an entry exists for its path,
language, the version of its scope and today's date (pages show "upcoming" days); a change of
version simply makes new keys. ``PAGE_CACHE_SECONDS`` bounds how long an entry lives (0 turns the
cache off), so a change that forgot to bump still shows within that time.

Every page carries a CSRF token in its language switch: it is stored as a placeholder and each
visitor gets a fresh token of their own, so no token is ever shared.

Apps declare the models whose rows feed public pages with ``watch`` (a save or delete bumps the
version of the row's organisation, or the platform's); writes that bypass model signals (bulk
updates, COPY) call ``bump_data_version`` themselves.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, models, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from burgerlink.core import dbrouter
from burgerlink.core.models import DataVersion, Organisation

PLATFORM = 0
CACHED_PATHS = (
    r"^/$",
    r"^/organisaties/",
    r"^/burgerservicecode/",
    r"^/levensgebeurtenissen/",
    r"^/benchmark/",
    r"^/toegankelijkheid/",
)
# Forms a citizen fills in, and pages that show one person's own case, are never cached; nor
# are files (only HTML pages are kept, and asking for their key would be wasted).
UNCACHED_PATHS = (
    r"/compensatie/",
    # Forms that carry a signed stamp of the moment they were shown (petitions).
    r"/petities/starten/$",
    r"/petities/\d+/tekenen/$",
    r"\.(css|csv|json|pdf|svg|xlsx|sav|png)$",
)
_ORGANISATION = re.compile(r"^/organisaties/([-\w]+)/")
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
_PLACEHOLDER = "\x00csrf\x00"
# Cookies that do not change what an anonymous page shows (the language is part of the key).
_NEUTRAL_COOKIES = {"csrftoken", "burgerlink_language"}


def bump_data_version(*, organisation_id: int | None = None) -> None:
    """Raise the data version of an organisation (and always the platform's) in this transaction."""
    scopes = [PLATFORM] if organisation_id is None else [PLATFORM, int(organisation_id)]
    with transaction.atomic():
        for scope in sorted(scopes):  # one order everywhere: two bumps never deadlock
            if not DataVersion.objects.filter(scope=scope).update(version=F("version") + 1):
                try:
                    with transaction.atomic():
                        DataVersion.objects.create(scope=scope, version=1)
                except IntegrityError:  # created meanwhile by another transaction
                    DataVersion.objects.filter(scope=scope).update(version=F("version") + 1)


def data_versions(scopes: Iterable[int]) -> dict[int, int]:
    """The current version of each scope (0 when nothing changed yet)."""
    wanted = list(scopes)
    found = dict(DataVersion.objects.filter(scope__in=wanted).values_list("scope", "version"))
    return {scope: found.get(scope, 0) for scope in wanted}


def versioned_key(scope: int, *parts: str) -> str:
    """A cache key for something a public page shows, as of the scope's data version today.

    Like a page's key, it changes with the data version (and the day), so an import or an
    edit makes new keys instead of having to find and delete old entries.
    """
    version = data_versions([scope])[scope]
    today = timezone.localdate().isoformat()
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"part:{get_language()}:{scope}:{version}:{today}:{digest}"


def remember(key: str, value: str) -> None:
    """Keep a rendered part (a chart) under ``versioned_key`` for as long as pages are kept."""
    if settings.PAGE_CACHE_SECONDS > 0:
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)


def recall(key: str) -> str | None:
    """A rendered part kept under ``key``, or None (also when the page cache is off)."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return None
    found = cache.get(key)
    return found if isinstance(found, str) else None


def watch(
    model: type[models.Model],
    *,
    organisation_of: Callable[[Any], int | None] | None = None,
) -> None:
    """Bump the data version whenever a row of ``model`` is saved or deleted.

    ``organisation_of`` names the row's organisation (default: its ``organisation_id``); rows
    without one (catalogues, the BurgerServiceCode) bump the platform's version only.
    """

    def changed(sender: Any, instance: models.Model, **kwargs: Any) -> None:
        if isinstance(instance, Organisation):
            organisation_id: int | None = instance.pk
        elif organisation_of is not None:
            organisation_id = organisation_of(instance)
        else:
            organisation_id = getattr(instance, "organisation_id", None)
        bump_data_version(organisation_id=organisation_id)

    uid = f"burgerlink-data-version-{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + "-save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + "-delete")


def _patterns(name: str, default: tuple[str, ...]) -> list[re.Pattern[str]]:
    return [re.compile(p) for p in getattr(settings, name, default)]


class PublicPageCacheMiddleware:
    """Answer anonymous GETs of public pages from the cache, keyed by data version.

    Sits after ``CsrfViewMiddleware`` (so a visitor's token can be put back into a cached page)
    and ``LocaleMiddleware`` (the language is part of the key).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.cached = _patterns("PAGE_CACHE_PATHS", CACHED_PATHS)
        self.uncached = _patterns("PAGE_CACHE_EXCLUDED_PATHS", UNCACHED_PATHS)

    def cacheable(self, request: HttpRequest) -> bool:
        """Whether this request may be answered from, and stored in, the cache."""
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in {"GET", "HEAD"}:
            return False
        if set(request.COOKIES) - _NEUTRAL_COOKIES or "authorization" in request.headers:
            return False
        path = request.path_info
        if any(p.search(path) for p in self.uncached):
            return False
        return any(p.search(path) for p in self.cached)

    def key(self, request: HttpRequest) -> str | None:
        """The cache key of this page now, or None for an unknown organisation (a 404)."""
        scope = PLATFORM
        match = _ORGANISATION.match(request.path_info)
        if match:
            found = Organisation.objects.filter(slug=match.group(1)).values_list("pk", flat=True)
            scope = next(iter(found), -1)
            if scope == -1:
                return None
        version = data_versions([scope])[scope]
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        today = timezone.localdate().isoformat()
        return f"page:{get_language()}:{scope}:{version}:{today}:{request.method}:{path}"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Serve from the cache, or render and store."""
        if not self.cacheable(request):
            return self.get_response(request)
        try:
            key = self.key(request)
        except DatabaseError:
            # The replica went away under this request: reads go to the primary from now on,
            # and this page is simply rendered.
            if dbrouter.read_alias() != DEFAULT_DB_ALIAS:
                dbrouter.health.mark_down()
            return self.get_response(request)
        if key is None:
            return self.get_response(request)
        stored = cache.get(key)
        if stored is not None:
            return self.rebuild(request, stored)
        response = self.get_response(request)
        if self.storable(response):
            content = _TOKEN.sub(rf"\g<1>{_PLACEHOLDER}\g<3>", response.content.decode())
            headers = [(k, v) for k, v in response.items() if k.lower() != "content-length"]
            cache.set(key, (response.status_code, headers, content), settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def storable(response: HttpResponse) -> bool:
        """Only complete, successful, non-private HTML answers are kept."""
        if response.status_code != 200 or response.streaming:
            return False
        if not response.get("Content-Type", "").startswith("text/html"):
            return False
        if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
            return False
        control = response.get("Cache-Control", "")
        return "private" not in control and "no-store" not in control

    @staticmethod
    def rebuild(
        request: HttpRequest, stored: tuple[int, list[tuple[str, str]], str]
    ) -> HttpResponse:
        """The stored page with this visitor's own CSRF token."""
        status, headers, content = stored
        if _PLACEHOLDER in content:
            content = content.replace(_PLACEHOLDER, get_token(request))
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
