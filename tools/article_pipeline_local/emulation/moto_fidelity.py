"""Make moto's server as atomic as AWS where concurrent instances depend on it.

moto's backends keep no lock around a request: under a threaded server, two requests can
interleave inside one call. Checked on moto 5: ``receive_message`` walks the queue and marks
each message received with no lock (two receivers can both get one message), a
conditional ``PutItem``/``UpdateItem``/``DeleteItem`` evaluates its condition and then writes,
so two conditional writers can both succeed, and ``put_object`` adds the version and only then
sends its notification, so two uploads of a key can send theirs in the other order. On AWS
each of these is atomic. ``install`` runs them under one lock in the server's process (all
instances share that server), which is stricter than AWS (per item, per queue) but no less
correct.
"""

from __future__ import annotations

import functools
import threading

#: One lock for every guarded call: simple, and the server is one process anyway.
LOCK = threading.RLock()

GUARDED = {
    "moto.sqs.models:SQSBackend": (
        "receive_message", "delete_message", "delete_message_batch", "change_message_visibility",
        "change_message_visibility_batch", "send_message", "send_message_batch",
    ),
    "moto.dynamodb.models:DynamoDBBackend": (
        "put_item", "update_item", "delete_item", "batch_write_item", "transact_write_items",
    ),
    # A new version and its notification as one step: S3's sequencers for a key grow in the
    # order of its versions, and the chain's order rules rely on it. Unguarded, a second
    # upload of the key could take its sequencer between the first's version and its event.
    "moto.s3.models:S3Backend": (
        "put_object", "copy_object", "complete_multipart_upload", "delete_object", "delete_objects",
    ),
}


def _locked(method):
    @functools.wraps(method)
    def call(*args, **kwargs):
        with LOCK:
            return method(*args, **kwargs)

    call.__moto_fidelity__ = True
    return call


def install() -> None:
    """Guard the calls above, and send S3's notifications as S3 does (``s3_events``);
    idempotent, call in the process that runs the moto server."""
    import importlib

    from .s3_events import install as install_s3_events

    install_s3_events()

    for target, names in GUARDED.items():
        module_name, class_name = target.split(":")
        cls = getattr(importlib.import_module(module_name), class_name)
        for name in names:
            method = getattr(cls, name, None)
            if method is not None and not getattr(method, "__moto_fidelity__", False):
                setattr(cls, name, _locked(method))


def installed() -> bool:
    from moto.dynamodb.models import DynamoDBBackend

    return getattr(DynamoDBBackend.put_item, "__moto_fidelity__", False)
