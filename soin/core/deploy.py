"""What a production installation needs beyond Django's ``check --deploy``.

``configuration_problems()`` returns one line per problem (empty when the configuration is
ready); ``manage.py deploy_check`` prints them and fails when there is any. It reads the
settings as they are, so it checks the environment file the services run with
(``/etc/soin/soin.env``, see docs/deploy.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.files.storage import default_storage, storages
from django.db import connections
from django.http.request import validate_host

from soin.core.unavailable import DATABASE_ERRORS

# At least as long as the keys Django makes (50 characters).
SECRET_KEY_MIN_LENGTH = 50
# Backends that keep mails on the machine instead of sending them.
MAIL_BACKENDS_THAT_DO_NOT_SEND = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
TASK_BACKEND = "django_tasks_db.DatabaseBackend"


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def _writable_folder(path: Path) -> bool:
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def production_problems() -> list[str]:
    problems = []
    if getattr(settings, "SOIN_ENV", "development") != "production":
        problems.append("SOIN_ENV is not 'production': set SOIN_ENV=production.")
    if settings.DEBUG:
        problems.append("DEBUG is on: remove SOIN_DEBUG from the environment.")
    return problems


def database_problems() -> list[str]:
    problems = []
    for alias in connections:
        vendor = connections[alias].vendor
        name = "DATABASE_URL" if alias == "default" else "SOIN_REPLICA_DATABASE_URL"
        if vendor != "postgresql":
            shown = {"sqlite": "SQLite", "mysql": "MySQL", "oracle": "Oracle"}.get(vendor, vendor)
            problems.append(
                f"{name} names a {shown} database, not PostgreSQL: SQLite is for development "
                f"and tests only; production needs PostgreSQL "
                f"({name}=postgres://user@host:5432/name)."
            )
            continue
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        except DATABASE_ERRORS as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            problems.append(f"The database of {name} does not answer: {first_line}")
    return problems


def secret_key_problems() -> list[str]:
    key = settings.SECRET_KEY
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < 5:
        return [
            f"SOIN_SECRET_KEY is too short or too plain: give at least "
            f"{SECRET_KEY_MIN_LENGTH} random characters (python3 -c 'import secrets; "
            f"print(secrets.token_urlsafe(50))')."
        ]
    if key.startswith(("development-only-key", "django-insecure")):
        return ["SOIN_SECRET_KEY is a development key: make a new random one."]
    return []


def host_problems() -> list[str]:
    problems = []
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts:
        problems.append("SOIN_ALLOWED_HOSTS is empty: name the site's host names.")
    elif "*" in hosts:
        problems.append("SOIN_ALLOWED_HOSTS allows every host ('*'): name the site's hosts.")
    site = urlsplit(settings.SITE_URL)
    if site.scheme != "https" or not site.hostname:
        problems.append(
            f"SOIN_SITE_URL is {settings.SITE_URL!r}: the public address must start with https://."
        )
    elif hosts and "*" not in hosts and not validate_host(site.hostname, hosts):
        problems.append(
            f"SOIN_SITE_URL's host {site.hostname} is not in SOIN_ALLOWED_HOSTS: links in "
            "mails would lead to a refused address."
        )
    return problems


def mail_problems() -> list[str]:
    problems = []
    if settings.EMAIL_BACKEND in MAIL_BACKENDS_THAT_DO_NOT_SEND:
        problems.append(
            f"SOIN_EMAIL_BACKEND is {settings.EMAIL_BACKEND}, which sends no mail: remove it "
            "(SMTP is the default)."
        )
    if not settings.EMAIL_HOST:
        problems.append("SOIN_EMAIL_HOST is empty: name the mail server (SMTP).")
    return problems


def task_problems() -> list[str]:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != TASK_BACKEND:
        return [
            f"SOIN_TASKS_BACKEND is {backend}: production queues tasks in the database "
            f"({TASK_BACKEND}) for manage.py db_worker."
        ]
    return []


def file_problems() -> list[str]:
    problems = []
    static_root = Path(settings.STATIC_ROOT)
    location = getattr(default_storage, "location", None)
    media = Path(location) if location else None
    if media is None:
        problems.append("The uploaded files have no folder: keep the default file storage.")
    elif not _writable_folder(media):
        problems.append(
            f"The uploaded files' folder {media} is missing or not writable by this user "
            "(SOIN_VAR_DIR/media)."
        )
    if media is not None and (_inside(media, static_root) or _inside(static_root, media)):
        problems.append(
            f"The uploaded files' folder {media} and STATIC_ROOT {static_root} overlap: "
            "uploads would be served to anyone."
        )
    journal = Path(settings.SOIN_ERASURE_JOURNAL)
    if not _writable_folder(journal.parent):
        problems.append(
            f"The erasure journal's folder {journal.parent} is missing or not writable "
            "(SOIN_ERASURE_JOURNAL)."
        )
    if media is not None and _inside(journal, media):
        problems.append(
            f"The erasure journal {journal} is among the uploaded files, so inside the "
            "backups: keep it beside them (SOIN_ERASURE_JOURNAL)."
        )
    return problems


def static_problems() -> list[str]:
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return [
            f"The static files' storage is {type(storage).__name__}: production serves them "
            "with a manifest (WhiteNoise's CompressedManifestStaticFilesStorage)."
        ]
    manifest = Path(settings.STATIC_ROOT) / storage.manifest_name
    try:
        paths = json.loads(manifest.read_text(encoding="utf-8")).get("paths")
    except (OSError, ValueError, AttributeError):
        paths = None
    if not paths:
        return [
            f"The static files are not collected ({manifest} is missing or empty): run "
            "manage.py collectstatic --noinput."
        ]
    return []


CHECKS: list[Callable[[], list[str]]] = [
    production_problems,
    database_problems,
    secret_key_problems,
    host_problems,
    mail_problems,
    task_problems,
    file_problems,
    static_problems,
]


def configuration_problems() -> list[str]:
    """Return every problem of the production configuration, one line each."""
    return [problem for check in CHECKS for problem in check()]
