"""
What a change retires, said by each app, and retired once per commit.

Apps register from their `ready()` (as `slugs.registry.track` does), so this
app never names another app's models:

    pagecache.track(Article, key="list", keys=article_keys)

- `key` names the key of one row (`list:42`): what a template that shows the
  row declares with `{% shows article %}`;
- `keys(instance, change)` says which keys a save or delete retires (none for
  a change no reader sees: a held comment, a draft). It may name *expansions*
  (`@members:42`), worked out by a function the app registers with
  `expansion()` once the transaction has committed, in one query for every
  row of the transaction.

Every key a transaction touches is gathered and retired once, on commit, in
one round trip to the cache (`store.retire`); then the edge is told. When the
cache cannot be reached the keys are kept as a row of `PendingInvalidation`
and retried until they land; meanwhile this process serves no stored page
(`degraded`), and neither does any other that met the outage (the middleware
checks the outbox before it trusts the cache again).
"""

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from . import store

logger = logging.getLogger("pagecache")

_own_keys = {}  # model -> prefix of its row's key
_expansions = {}  # name -> function(set of arguments) -> iterable of keys
_health = threading.local()
_outage = {"since": None}  # this process met an unreachable cache; cleared once the outbox is empty


@dataclass(frozen=True)
class Change:
    created: bool = False
    deleted: bool = False
    update_fields: frozenset | None = None


def key_of(instance):
    """The key of one row (`list:42`), for a model that registered one."""
    for model in type(instance).__mro__:
        if model in _own_keys:
            return f"{_own_keys[model]}:{instance.pk}"
    raise LookupError(f"{type(instance).__name__} has no page-cache key: register it with pagecache.track().")


def track(model, *, key=None, keys=None, expand_on_delete=False):
    """
    Tell the page cache that readers see `model`. See the module's docstring.
    `expand_on_delete`: work the expansions out before the row goes (its
    relations go with it), inside the transaction.
    """
    if key:
        _own_keys[model] = key
    if keys is None:
        return
    uid = f"pagecache:{model._meta.label}"

    def saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
        if raw:  # loaddata (a restore): rows arrive without their relations, so everything is retired, once
            changed("everything")
            return
        fields = frozenset(update_fields) if update_fields is not None else None
        changed(*keys(instance, Change(created=created, update_fields=fields)))

    def deleting(sender, instance, **kwargs):
        instance._pagecache_keys = expand(keys(instance, Change(deleted=True)))

    def deleted(sender, instance, **kwargs):
        found = getattr(instance, "_pagecache_keys", None)
        changed(*(found if found is not None else keys(instance, Change(deleted=True))))

    post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=uid)
    if expand_on_delete:
        pre_delete.connect(deleting, sender=model, weak=False, dispatch_uid=uid)


def track_relation(through, keys):
    """`keys(instance, reverse, pk_set)` for m2m_changed on `through` (add, remove, clear)."""

    def relation_changed(sender, instance, action, reverse, pk_set=None, **kwargs):
        if action in ("post_add", "post_remove", "pre_clear"):
            found = keys(instance, reverse, pk_set)
            changed(*(expand(found) if action == "pre_clear" else found))

    m2m_changed.connect(relation_changed, sender=through, weak=False, dispatch_uid=f"pagecache:{through._meta.label}")


def expansion(name):
    """Register `function(arguments: set[str]) -> keys` for the keys written `@name:argument`."""

    def register(function):
        _expansions[name] = function
        return function

    return register


def expand(keys):
    plain, wanted = set(), {}
    for key in keys:
        if key.startswith("@"):
            name, _, argument = key[1:].partition(":")
            wanted.setdefault(name, set()).add(argument)
        else:
            plain.add(key)
    for name, arguments in wanted.items():
        plain.update(expand(_expansions[name](arguments)))
    return plain


class _Batch:
    def __init__(self, connection):
        self.connection, self.keys = connection, set()

    def flush(self):
        if getattr(self.connection, "_pagecache_batch", None) is self:
            self.connection._pagecache_batch = None  # the next transaction starts a batch of its own
        keys, self.keys = self.keys, set()
        retire_now(keys)


def changed(*keys):
    """
    Retire `keys` (and what their expansions name) when the current
    transaction commits, together with every other key it touched; at once
    outside a transaction.
    """
    if not keys:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        retire_now(keys)
        return
    if settings.PAGECACHE_RETIRE_IN_TRANSACTION:
        # The test suite's own transaction never commits: retire at once too
        # (magazine/settings/test.py). Production retires on commit only.
        try:
            store.retire(expand(keys))
        except ConnectionError:
            pass  # kept on commit, as in production
    batch = getattr(connection, "_pagecache_batch", None)
    # A batch whose callback a rollback discarded starts over: what it held never happened.
    if batch is None or not any(hook[1] == batch.flush for hook in connection.run_on_commit):
        batch = connection._pagecache_batch = _Batch(connection)
        transaction.on_commit(batch.flush, robust=True)
    batch.keys.update(keys)


def retire_now(keys):
    keys = expand(keys)
    if not keys:
        return
    try:
        store.retire(keys)
    except Exception as error:  # noqa: BLE001 - any failure to reach the cache keeps the change
        logger.warning("page cache unreachable, %d key(s) kept to retry: %s", len(keys), error)
        _keep(keys)
    else:
        _tell_edge(keys)


def _keep(keys):
    from .models import PendingInvalidation

    met_outage()
    PendingInvalidation.objects.create(keys=" ".join(sorted(keys)))
    _schedule_retry()


def _schedule_retry():
    from .tasks import retry_invalidations

    try:
        retry_invalidations.enqueue()
    except Exception:  # noqa: BLE001 - readers drain the kept keys too
        logger.exception("could not queue the retry of kept invalidations")


def _tell_edge(keys):
    if not getattr(settings, "PAGECACHE_EDGE", None):
        return
    from .tasks import purge_edge

    purge_edge.enqueue(keys=sorted(keys))


def met_outage():
    if _outage["since"] is None:
        _outage["since"] = time.monotonic()


def forget_outage():
    """For tests: this process has met no outage."""
    _outage["since"] = None


def degraded():
    """Whether this process met an unreachable cache and has not yet seen every kept change land."""
    return _outage["since"] is not None


DRAIN_INTERVAL = 1.0


def drain(force=False):
    """
    Retire the kept changes, oldest first, and forget each once it has
    landed. Returns True once nothing is kept. Tried at most once a second per
    process by readers (the middleware) and by the worker's retry task.
    """
    from .models import PendingInvalidation

    last = getattr(_health, "drained_at", 0.0)
    if not force and time.monotonic() - last < DRAIN_INTERVAL:
        return False
    _health.drained_at = time.monotonic()
    for row in PendingInvalidation.objects.order_by("pk"):
        keys = row.keys.split()
        try:
            store.retire(keys)
        except Exception:  # noqa: BLE001
            return False
        _tell_edge(keys)
        row.delete()
    _outage["since"] = None
    return True
