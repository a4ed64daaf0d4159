"""The settings of the server ``make bench`` measures: the site's own, with one more address,
the minimal page that is the baseline of every page's figures."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "soin.core.bench_urls"
