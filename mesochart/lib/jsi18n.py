"""The JavaScript catalogue in the page's language: ``gettext()`` for the few scripts a
chart editor, a camera and a calendar need.

The language is in the URL, not taken from the request, because a page in the patient's
language (the tablet) is shown while a member of staff, who may read another language, is
signed in: the page names the catalogue of the language it was rendered in.

The catalogue holds no health data, only the scripts' words, so unlike every other answer
of the app it may be kept: a page names it with the version of the compiled catalogues
(``?v=``), and that version is kept by the browser for a year, immutable. A new release's
words have a new version, so a page never runs with last release's words; an unversioned
or stale URL is answered fresh, and not kept.
"""

import hashlib
from functools import cache

import django
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import JavaScriptCatalog

YEAR = 365 * 24 * 60 * 60


@cache
def catalogue_version() -> str:
    """A digest of every compiled script catalogue and of Django's version (whose own
    catalogue words the view adds): it changes exactly when the words can."""
    digest = hashlib.sha256(django.get_version().encode())
    for root in settings.LOCALE_PATHS:
        for compiled in sorted(root.glob("*/LC_MESSAGES/djangojs.mo")):
            digest.update(compiled.parent.parent.name.encode())
            digest.update(compiled.read_bytes())
    return digest.hexdigest()[:12]


def catalogue_context(request: HttpRequest) -> dict:
    """``catalogue_version`` for the layouts' ``<script src=…?v=…>``."""
    return {"catalogue_version": catalogue_version()}


class PageCatalogue(JavaScriptCatalog):
    def get(self, request, *args, **kwargs):
        language = kwargs.pop("language")
        if language not in dict(settings.LANGUAGES):
            raise Http404
        with translation.override(language):
            response: HttpResponse = super().get(request, *args, **kwargs)
        if request.GET.get("v") == catalogue_version():
            response.keep_in_cache = True  # read by lib.nocache.NoStoreMiddleware
            # The browser's own cache only: an answer to a signed-in request may set its cookie.
            response["Cache-Control"] = f"private, max-age={YEAR}, immutable"
        return response
