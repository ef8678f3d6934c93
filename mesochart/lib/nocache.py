"""No page or API answer of this app may be kept by the browser or a proxy.

Every dynamic response carries health data or may (a chart, a redirect to one, an API
answer, an error page naming a patient), so `NoStoreMiddleware` marks them all
``Cache-Control: no-store`` and ``Pragma: no-cache`` instead of trusting each view to
remember. ``no-store`` also keeps the page out of Chromium's back/forward cache: after a
tablet is handed to a patient, Back asks the server again, and the server (patient mode,
`consent.tablet.TabletLockMiddleware`) answers with the patient's task, never the chart.
Static files are served before this middleware (WhiteNoise) and stay cacheable, and so
does the one dynamic answer that can hold no health data and says so, the versioned script
catalogue (``keep_in_cache``, `lib.jsi18n`).
"""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "keep_in_cache", False):
            return response
        add_never_cache_headers(response)  # max-age=0, no-cache, no-store, must-revalidate
        response["Pragma"] = "no-cache"
        return response
