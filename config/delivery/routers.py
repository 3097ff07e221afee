"""Database routing: every write and every migration on the primary; reader pages may read from the replica.

Which requests may use the replica is decided by ``config.delivery.replica.ReplicaReadsMiddleware``.
"""

from django.db import DEFAULT_DB_ALIAS

from .replica import read_alias

# Sessions are read on every request that carries one and may have been written a moment ago.
PRIMARY_ONLY_APPS = frozenset({"sessions"})


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        return read_alias() or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
