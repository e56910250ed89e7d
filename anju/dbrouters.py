"""Database routing: reads marked with core.replica.reading() go to the read replica when one is configured.

Installed always (settings.DATABASE_ROUTERS); with no DATABASE_REPLICA_URL it answers None everywhere, which is
Django's own default ("default", or the database an instance came from). The replica is a streaming copy of the
primary: nothing is migrated on it and nothing is written to it.
"""
from django.db import DEFAULT_DB_ALIAS

from core import replica


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return replica.alias_for_read()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database and its copy: every relation is allowed

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None if db != replica.ALIAS else False
