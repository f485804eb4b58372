"""Public-page reads from a PostgreSQL streaming replica; everything else from the primary.

PublicReadMiddleware marks a request whose resolved URL is a public page (namespaces in
PUBLIC_NAMESPACES, never under /personal/, only GET and HEAD); ReplicaRouter sends that
request's reads to the `replica` database while the replica is up and close enough behind.
Writes, staff pages, the admin and every read outside such a request go to the primary.

The replica's state is checked at most every DATABASE_REPLICA_CHECK_INTERVAL seconds per
process: down when it does not answer, behind when its last replayed transaction is older than
DATABASE_REPLICA_MAX_LAG seconds while WAL it has received is still waiting to be replayed (an
idle primary sends no transactions, so an old replay time alone does not mean lag). A public
read that fails on the replica between two checks marks it down and is run again on the primary.
"""

import contextlib
import contextvars
import logging
import re
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
PUBLIC_NAMESPACES = {"public", "followups"}
STAFF_ROUTE = re.compile(r"^(?:[a-z]{2}(?:-[a-z]+)?/)?personal/")

# Set for the duration of a public-page request; read by the router.
public_read = contextvars.ContextVar("public_read", default=False)
# Whether this request's reads went to the replica (so a failure can be retried on the primary).
used_replica = contextvars.ContextVar("used_replica", default=False)

LAG_SQL = """
    SELECT pg_is_in_recovery(),
           CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
                THEN 0
                ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
           END
"""


class ReplicaHealth:
    """The replica's last known state in this process, refreshed at most every interval."""

    def __init__(self):
        self._lock = threading.Lock()
        self._checked_at = None
        self._usable = False

    def usable(self):
        if REPLICA not in settings.DATABASES:
            return False
        now = time.monotonic()
        with self._lock:
            due = (
                self._checked_at is None
                or now - self._checked_at >= settings.DATABASE_REPLICA_CHECK_INTERVAL
            )
            if due:
                self._usable = self._check()
                self._checked_at = time.monotonic()
            return self._usable

    def mark_down(self):
        with self._lock:
            self._usable = False
            self._checked_at = time.monotonic()

    def forget(self):
        with self._lock:
            self._checked_at = None

    @staticmethod
    def _check():
        connection = connections[REPLICA]
        try:
            with connection.cursor() as cursor:
                cursor.execute(LAG_SQL)
                in_recovery, lag = cursor.fetchone()
        except DatabaseError as error:
            logger.warning("Read replica unreachable, reading from the primary: %s", error)
            connection.close_if_unusable_or_obsolete()
            return False
        if not in_recovery:
            # A promoted replica is a second primary now: writes would split. Stay off it.
            logger.warning("Read replica is not in recovery, reading from the primary")
            return False
        if lag > settings.DATABASE_REPLICA_MAX_LAG:
            logger.warning("Read replica %.1f s behind, reading from the primary", lag)
            return False
        return True


health = ReplicaHealth()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if public_read.get() and health.usable():
            used_replica.set(True)
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there may relate to one here.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def is_public_page(request, match):
    return (
        request.method in {"GET", "HEAD"}
        and bool(match.namespaces)
        and match.namespaces[0] in PUBLIC_NAMESPACES
        and not STAFF_ROUTE.match(match.route)
    )


class PublicReadMiddleware:
    """Marks public-page requests for the router; retries a failed replica read on the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = contextvars.copy_context()
        return context.run(self.get_response, request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        public_read.set(is_public_page(request, request.resolver_match))
        used_replica.set(False)

    def process_exception(self, request, exception):
        if not (isinstance(exception, DatabaseError) and used_replica.get()):
            return None
        logger.warning("Read replica failed, reading from the primary: %s", exception)
        health.mark_down()
        with contextlib.suppress(DatabaseError):  # Already broken: nothing to close cleanly.
            connections[REPLICA].close()
        public_read.set(False)
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
