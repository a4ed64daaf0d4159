"""gunicorn's configuration for Soin: ``gunicorn --config deploy/gunicorn.conf.py config.wsgi``.

Every value can be changed from the environment file (/etc/soin/soin.env) without editing
this file. The access log goes to standard output and so to the journal; it holds the method,
the path without its query string, the status, the size and the time taken: no client
address, no query (search words), no browser.
"""

from __future__ import annotations

import multiprocessing
import os

# Where nginx sends the requests: an address, or unix:/run/soin/gunicorn.sock.
bind = os.environ.get("SOIN_WEB_BIND", "127.0.0.1:8000").split(",")

# Synchronous workers, two per processor and one more (gunicorn's advice): a request waits on
# the database or renders a PDF, and one worker holds at most one database connection.
workers = int(os.environ.get("SOIN_WEB_WORKERS", "0")) or multiprocessing.cpu_count() * 2 + 1

# A request still running after this many seconds is killed and answered 502 by nginx. The
# slowest pages (a yearly report as PDF across a busy year) take a few seconds.
timeout = int(os.environ.get("SOIN_WEB_TIMEOUT", "60"))
# On a restart or a reload (SIGHUP) a worker finishes the request it is serving first.
graceful_timeout = 30
# Idle keep-alive connections from nginx on the same machine.
keepalive = 5

# A worker is replaced after this many requests (a little spread, so that they do not all
# restart together): memory a long-lived process gathers is given back.
max_requests = int(os.environ.get("SOIN_WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

# X-Forwarded-For and X-Forwarded-Proto are believed only from these addresses (nginx).
forwarded_allow_ips = os.environ.get("SOIN_WEB_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = "-"
errorlog = "-"
access_log_format = "%(m)s %(U)s %(s)s %(B)s %(M)sms"
loglevel = os.environ.get("SOIN_LOG_LEVEL", "INFO").lower()
# The journal adds its own time stamps and the unit's name.
capture_output = True

# Each worker loads the application itself: a reload (SIGHUP, ``systemctl reload soin-web``)
# then starts workers with the new release's code while the old ones finish their requests.
preload_app = False
# systemd starts, reloads and stops the server: no control socket in the service's home.
control_socket_disable = True
