"""What each deployed function ships: a CycloneDX SBOM per function, and the licence policy.

``python -m article_pipeline_local.toolchain.sbom`` (``make sbom``) reads the ``*.dist-info``
that the build installed into each function's artefact and into its layers (as ``make
layers`` builds them, into build/layers/python3.13), writes ``build/sbom/<Function>.cdx.json``
(CycloneDX 1.6, by cyclonedx-python-lib) and holds every licence to
``requirements/licences.toml``: it exits 1 naming each package the policy does not allow.

ExtractFunction ships no data package as code: its build turns them into the gazetteer file,
which records their versions. Those are listed too (their licence covers the data), read from
this environment's metadata at the very version the file names.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tomllib
import uuid
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from importlib import metadata
from pathlib import Path

from cyclonedx.contrib.license.factories import LicenseFactory
from cyclonedx.model import Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.output.json import JsonV1Dot6
from license_expression import ExpressionError, get_spdx_licensing
from packageurl import PackageURL

from ..emulation.template import ROOT
from . import artefacts

POLICY = ROOT / "requirements" / "licences.toml"
SBOM_DIR = ROOT / "build" / "sbom"
GAZETTEER = Path("article_pipeline_data") / "gazetteer.pickle"
_SPDX = get_spdx_licensing()


@dataclass(frozen=True)
class Package:
    """One distribution a function ships, and where."""

    name: str
    version: str
    artefact: str  # the function or layer that carries it
    licence: str | None  # an SPDX expression, where the metadata gives one
    licence_names: tuple[str, ...] = ()  # else the trove classifiers' licences, or the free text
    derived: str | None = None  # shipped as data made from it, in this file, not as its code

    @property
    def licences(self) -> str:
        return self.licence or " / ".join(self.licence_names) or "(none declared)"


def _spdx(text: str | None) -> str | None:
    """``text`` as a valid SPDX expression, or None (free text such as "BSD" or "Dual License")."""
    if not text or "\n" in text.strip():
        return None
    try:
        return str(_SPDX.parse(text.strip(), validate=True, strict=True))
    except ExpressionError:
        return None


def licence_of(meta: Message) -> tuple[str | None, tuple[str, ...]]:
    """(SPDX expression, names) a distribution's METADATA declares: License-Expression first
    (PEP 639), then a License field that is an SPDX expression, then the licence classifiers,
    then whatever the License field says."""
    expression = _spdx(meta.get("License-Expression")) or _spdx(meta.get("License"))
    if expression:
        return expression, ()
    classifiers = tuple(
        value.split(" :: ")[-1] for value in meta.get_all("Classifier") or [] if value.startswith("License :: ")
    )
    if classifiers:
        return None, classifiers
    text = (meta.get("License") or "").strip()
    return None, (text.splitlines()[0],) if text and text != "UNKNOWN" else ()


def _package(meta: Message, artefact: str, derived: str | None = None) -> Package:
    expression, names = licence_of(meta)
    return Package(meta["Name"], meta["Version"], artefact, expression, names, derived)


def installed(folder: Path, artefact: str) -> list[Package]:
    """The distributions installed into ``folder``, from their dist-info METADATA."""
    return [
        _package(BytesParser().parse(io.BytesIO((info / "METADATA").read_bytes()), headersonly=True), artefact)
        for info in sorted(folder.glob("*.dist-info"))
    ]


def derived_data(function_dir: Path, function: str) -> list[Package]:
    """The data packages the gazetteer file was made from, at the versions it records."""
    path = function_dir / GAZETTEER
    if not path.is_file():
        return []
    from article_pipeline.extraction.entities import gazetteer

    data = gazetteer._PlainUnpickler(io.BytesIO(path.read_bytes())).load()
    found = []
    for name, version in sorted(data["sources"].items()):
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            dist = None
        if dist is None or dist.version != version:
            raise SystemExit(f"{function}: {GAZETTEER} was made from {name} {version}; this environment has "
                             f"{dist.version if dist else 'none'}, so its licence cannot be read")
        found.append(_package(dist.metadata, function, derived=str(GAZETTEER)))
    return found


def shipped(built: Path, function: str, layers: list[str]) -> list[Package]:
    """Everything ``function`` ships: its own packages, its derived data, then its layers'."""
    packages = installed(built / function, function) + derived_data(built / function, function)
    for layer in layers:
        packages += installed(built / layer / "python", layer)
    return packages


@dataclass
class Policy:
    """requirements/licences.toml: the licences allowed, and the reasoned exceptions."""

    allowed: dict[str, str]  # SPDX id or classifier name -> why it is allowed
    exceptions: dict[str, dict[str, str]] = field(default_factory=dict)  # package -> licence, reason

    @classmethod
    def load(cls, path: Path = POLICY) -> "Policy":
        body = tomllib.loads(path.read_text())
        allowed = {name: "permissive" for name in body["permissive"]["spdx"] + body["permissive"]["classifiers"]}
        allowed |= body.get("weak-copyleft", {})
        return cls(allowed, {_normal(name): entry for name, entry in body.get("exceptions", {}).items()})

    def _expression_allowed(self, node) -> bool:
        if isinstance(node, _SPDX.AND):
            return all(self._expression_allowed(arg) for arg in node.args)
        if isinstance(node, _SPDX.OR):  # any one licence offered will do
            return any(self._expression_allowed(arg) for arg in node.args)
        return getattr(node, "key", None) in self.allowed

    def refusal(self, package: Package) -> str | None:
        """Why ``package`` may not ship, or None when the policy allows it."""
        exception = self.exceptions.get(_normal(package.name))
        if exception and exception["licence"] == package.licences:
            return None
        if package.licence:
            if self._expression_allowed(_SPDX.parse(package.licence)):
                return None
        elif package.licence_names and all(name in self.allowed for name in package.licence_names):
            return None
        return f"{package.name} {package.version} ({package.artefact}): {package.licences} is not allowed by {POLICY.name}"


def _normal(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def bom(function: str, packages: list[Package]) -> Bom:
    """The CycloneDX BOM of ``function``: one component per package, each naming its artefact."""
    factory = LicenseFactory()
    root = Component(name=function, type=ComponentType.APPLICATION, bom_ref=function)
    # One serial number per content: the same build gives the same SBOM id.
    content = json.dumps([[p.name, p.version, p.artefact] for p in packages])
    document = Bom(serial_number=uuid.uuid5(uuid.NAMESPACE_URL, f"article-pipeline/{function}/{content}"))
    document.metadata.component = root
    components = []
    for package in packages:
        properties = [Property(name="article-pipeline:artefact", value=package.artefact)]
        if package.derived:
            properties.append(Property(name="article-pipeline:shipped-as-data-in", value=package.derived))
        licences = [factory.make_from_string(package.licence)] if package.licence else [
            factory.make_with_name(name) for name in package.licence_names
        ]
        purl = PackageURL(type="pypi", name=_normal(package.name), version=package.version)
        components.append(Component(
            name=package.name, version=package.version, type=ComponentType.LIBRARY, purl=purl,
            bom_ref=f"{package.artefact}/{purl}", licenses=licences, properties=properties,
        ))
    document.components.update(components)
    document.register_dependency(root, components)
    return document


def to_json(document: Bom) -> str:
    return JsonV1Dot6(document).output_as_string(indent=2)


def licence_table(everything: dict[str, list[Package]]) -> str:
    """docs/security.md's table: each function, its package count, each licence with its count."""
    rows = ["| function | packages | licences (packages under each) |", "|---|---|---|"]
    for function, packages in everything.items():
        counts: dict[str, int] = {}
        for package in packages:
            counts[package.licences] = counts.get(package.licences, 0) + 1
        cells = ", ".join(f"{licence} ({count})" for licence, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
        rows.append(f"| {function} | {len(packages)} | {cells} |")
    return "\n".join(rows)


def write(built: Path, out: Path = SBOM_DIR, policy: Policy | None = None) -> tuple[dict[str, list[Package]], list[str]]:
    """Every function's SBOM into ``out``; returns what each ships and the policy's refusals."""
    policy = policy or Policy.load()
    out.mkdir(parents=True, exist_ok=True)
    everything, refused = {}, []
    for function, layers in artefacts.function_layers().items():
        packages = shipped(built, function, layers)
        (out / f"{function}.cdx.json").write_text(to_json(bom(function, packages)))
        everything[function] = packages
        refused += [reason for package in packages if (reason := policy.refusal(package))]
    return everything, refused


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m article_pipeline_local.toolchain.sbom", description=__doc__.split("\n\n")[0])
    parser.add_argument("--built", type=Path, default=artefacts.build_dir(), help="default: build/layers/python3.13 (make layers)")
    parser.add_argument("--out", type=Path, default=SBOM_DIR)
    args = parser.parse_args(argv)
    everything, refused = write(args.built, args.out)
    for function, packages in everything.items():
        print(f"{args.out / function}.cdx.json: {len(packages)} components", file=sys.stderr)
    print(licence_table(everything))
    for reason in refused:
        print(f"refused: {reason}", file=sys.stderr)
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
