"""``import spacy`` without importing spaCy's command line first (in a Lambda function only).

``spacy/__init__.py`` imports ``spacy.cli.info`` for ``spacy.info``, and with it the whole
command line: typer, click, rich, pygments, weasel, httpx... a fifth of the Extract
function's cold start for commands a function never runs. Before spaCy's first import,
:func:`defer` registers ``spacy.cli`` and ``spacy.cli.info`` as stand-ins: the first use
of either (``spacy.info()``, any attribute of ``spacy.cli``) drops them and imports the
real modules, so nothing is lost but the time. It acts only inside a Lambda function
(``AWS_LAMBDA_FUNCTION_NAME`` set) and only if spaCy is not imported yet.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types

_NAMES = ("spacy.cli.info", "spacy.cli")


def _real():
    for name in _NAMES:
        if isinstance(sys.modules.get(name), _Deferred):
            del sys.modules[name]
    cli = importlib.import_module("spacy.cli")
    spacy = sys.modules.get("spacy")
    if spacy is not None:
        spacy.cli = cli
    return cli


class _Deferred(types.ModuleType):
    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        real = _real()
        if self.__name__ == "spacy.cli.info":
            return getattr(importlib.import_module("spacy.cli.info"), name)
        return getattr(real, name)


def _info(*args, **kwargs):
    _real()
    return importlib.import_module("spacy.cli.info").info(*args, **kwargs)


def defer() -> bool:
    """Install the stand-ins if this is a Lambda function that has not imported spaCy."""
    if not os.environ.get("AWS_LAMBDA_FUNCTION_NAME") or "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return False
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return False
    cli = _Deferred("spacy.cli")
    # a package: `import spacy.cli.<command>` still finds the real submodules
    cli.__path__ = [os.path.join(location, "cli") for location in spec.submodule_search_locations]
    info = _Deferred("spacy.cli.info")
    info.info = _info
    cli.info = info
    sys.modules["spacy.cli"] = cli
    sys.modules["spacy.cli.info"] = info
    return True
