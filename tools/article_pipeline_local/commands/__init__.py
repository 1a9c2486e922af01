"""The operator's commands against a stack (local, a running ``serve``, or deployed).

- ``queries``: ``show`` and ``search`` (GetItem and Query, never Scan), and what the
  console reads;
- ``redrive``: a stage's DLQ back to its queue;
- ``replay``: ReplayFunction invoked as its schedule does;
- ``files``: the files a command takes.

May import: ``article_pipeline``, ``..emulation`` and one another; never ``..cli``.
"""
