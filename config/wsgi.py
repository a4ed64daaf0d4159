import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Every view and what it imports, loaded now rather than on a first request; then all of it,
# which lives as long as the worker does, is left out of the garbage collector's full passes.
# Each full pass would otherwise walk these 130 000 objects again: a pause of some 50 ms in
# whichever request it falls on, and more often the more a request reads.
get_resolver().url_patterns  # noqa: B018
gc.freeze()
