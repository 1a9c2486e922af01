"""The SBOM and the licence policy, on built trees made of fake dist-info.

The real artefacts are held to the policy in tests/toolchain/test_layers.py, which builds
them once; here each case is a tree laid out as the build lays it (a function's folder and
its layers' python/), so what arrives, and whether it is refused, is chosen by the test.
"""

from __future__ import annotations

import json

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from article_pipeline_local.toolchain import artefacts, sbom


def dist_info(folder, name, version="1.0", *, expression=None, licence=None, classifiers=()):
    info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.4", f"Name: {name}", f"Version: {version}"]
    lines += [f"License-Expression: {expression}"] if expression else []
    lines += [f"License: {licence}"] if licence else []
    lines += [f"Classifier: License :: OSI Approved :: {c}" for c in classifiers]
    (info / "METADATA").write_text("\n".join(lines) + "\n\nThe description.\n")


@pytest.fixture
def built(tmp_path):
    """Every function and layer of the template, each carrying one MIT package."""
    out = tmp_path / "built"
    for function, layers in artefacts.function_layers().items():
        dist_info(out / function, f"{function.lower()}-lib", expression="MIT")
        for layer in layers:
            if not (out / layer / "python").exists():
                dist_info(out / layer / "python", f"{layer.lower()}-lib", expression="Apache-2.0")
    return out


def licences_of(tmp_path, **declared) -> sbom.Package:
    dist_info(tmp_path / "f", "pkg", **declared)
    [package] = sbom.installed(tmp_path / "f", "CleanFunction")
    return package


def test_every_function_gets_a_valid_cyclonedx_1_6_sbom_with_its_layers_packages(built, tmp_path):
    everything, refused = sbom.write(built, tmp_path / "sbom")
    assert refused == []
    for function, layers in artefacts.function_layers().items():
        text = (tmp_path / "sbom" / f"{function}.cdx.json").read_text()
        assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
        document = json.loads(text)
        assert document["specVersion"] == "1.6"
        assert document["metadata"]["component"]["name"] == function
        carried = {
            c["name"]: next(p["value"] for p in c["properties"] if p["name"] == "article-pipeline:artefact")
            for c in document["components"]
        }
        assert carried == {f"{function.lower()}-lib": function} | {f"{layer.lower()}-lib": layer for layer in layers}
        assert f"pkg:pypi/{function.lower()}-lib@1.0" in {c["purl"] for c in document["components"]}


def test_a_non_permissive_licence_arriving_in_an_artefact_fails_make_sbom(built, tmp_path, capsys):
    dist_info(built / "CleanFunction", "copyleft-thing", "2.0", expression="GPL-3.0-only")
    assert sbom.main(["--built", str(built), "--out", str(tmp_path / "sbom")]) == 1
    assert "copyleft-thing 2.0 (CleanFunction): GPL-3.0-only is not allowed" in capsys.readouterr().err


def test_a_layer_brings_its_licences_to_every_function_that_uses_it(built, tmp_path):
    dist_info(built / "SharedLayer" / "python", "agpl-thing", expression="AGPL-3.0-or-later")
    _, refused = sbom.write(built, tmp_path / "sbom")
    assert len(refused) == len(artefacts.function_layers())  # the shared layer is global


@pytest.mark.parametrize(
    ("declared", "allowed"),
    [
        ({"expression": "MIT"}, True),
        ({"expression": "BSD-3-Clause AND 0BSD AND MIT"}, True),
        ({"expression": "MIT AND GPL-2.0-only"}, False),  # every licence of an AND binds
        ({"expression": "MPL-1.1 OR GPL-2.0-only"}, True),  # one of an OR is taken
        ({"expression": "GPL-3.0-only OR AGPL-3.0-only"}, False),
        ({"expression": "MPL-2.0"}, True),  # weak copyleft, allowed with its reason
        ({"expression": "LGPL-2.1-only"}, False),  # only pycountry's exception allows it
        ({"licence": "BSD-3-Clause"}, True),  # a License field that is an SPDX id
        ({"licence": "BSD", "classifiers": ["BSD License"]}, True),  # free text: the classifier decides
        ({"classifiers": ["BSD License", "Apache Software License"]}, True),
        ({"classifiers": ["MIT License", "GNU General Public License v3 (GPLv3)"]}, False),
        ({"licence": "Some Custom Licence"}, False),
        ({}, False),  # no licence declared is no licence
    ],
)
def test_the_policy(tmp_path, declared, allowed):
    package = licences_of(tmp_path, **declared)
    assert (sbom.Policy.load().refusal(package) is None) is allowed, package


def test_an_exception_names_one_package_at_one_licence(tmp_path):
    policy = sbom.Policy.load()
    dist_info(tmp_path / "a", "pycountry", "26.2.16", expression="LGPL-2.1-only")
    dist_info(tmp_path / "b", "pycountry", "27.0", expression="GPL-3.0-only")
    [as_excepted] = sbom.installed(tmp_path / "a", "ExtractFunction")
    [relicensed] = sbom.installed(tmp_path / "b", "ExtractFunction")
    assert policy.refusal(as_excepted) is None
    assert policy.refusal(relicensed) is not None


def test_every_allowance_beyond_permissive_and_every_exception_gives_its_reason():
    policy = sbom.Policy.load()
    for licence, reason in policy.allowed.items():
        assert reason == "permissive" or len(reason) > 40, licence
    for name, exception in policy.exceptions.items():
        assert set(exception) == {"licence", "reason"} and len(exception["reason"]) > 40, name
