"""The JavaScript catalogue in the page's language: ``gettext()`` for the few scripts a
chart editor, a camera and a calendar need.

The language is in the URL, not taken from the request, because a page in the patient's
language (the tablet) is shown while a member of staff, who may read another language, is
signed in: the page names the catalogue of the language it was rendered in.
"""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.views.i18n import JavaScriptCatalog


class PageCatalogue(JavaScriptCatalog):
    def get(self, request, *args, **kwargs):
        language = kwargs.pop("language")
        if language not in dict(settings.LANGUAGES):
            raise Http404
        with translation.override(language):
            return super().get(request, *args, **kwargs)
