"""The WSGI application a production server (gunicorn, uWSGI, mod_wsgi) loads.

Once Django is set up and the URLconf imported (every view, the API and its schemas),
what exists lives as long as the worker; it is frozen out of the garbage collector
(`gc.freeze`). Otherwise a full collection walks it all again whenever requests have made
enough objects: 40 ms in the middle of one recall in ten, 100 ms and more in one timeline
request in twenty on the benchmark's heap (bench/README.md). Frozen objects are not
written to by the collector either, so workers forked from one parent keep sharing those
memory pages.
"""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesochart.settings")
application = get_wsgi_application()
import_module(settings.ROOT_URLCONF)
gc.freeze()
