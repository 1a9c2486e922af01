"""Read template.yaml: the only description of the wiring.

The local harness asks this module which resources, functions, environments and event
source mappings exist; it never keeps a second copy of any of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[3]
TEMPLATE = ROOT / "template.yaml"

REGION = "us-east-1"
ACCOUNT = "123456789012"
STACK = "article-pipeline"


class _CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short-form tags (!Ref, !GetAtt, !Sub ...)."""


def _short_form(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _short_form)


@dataclass(frozen=True)
class QueueMapping:
    """An SQS event source mapping: the queue a function consumes and how."""

    function: str
    queue: str
    batch_size: int
    window_seconds: int
    report_failures: bool
    #: ``ScalingConfig.MaximumConcurrency``: the most instances the mapping runs at once
    maximum_concurrency: int | None = None


@dataclass
class Function:
    logical_id: str
    code_uri: Path
    handler: str
    timeout: int
    memory: int
    environment: dict[str, Any] = field(default_factory=dict)
    mappings: list[QueueMapping] = field(default_factory=list)
    schedules: list[dict[str, Any]] = field(default_factory=list)


class Template:
    def __init__(self, path: Path = TEMPLATE, parameters: dict[str, str] | None = None) -> None:
        self.path = path
        self.body = yaml.load(path.read_text(), Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
        self.resources: dict[str, dict[str, Any]] = self.body["Resources"]
        self.parameters = {
            name: str((parameters or {}).get(name, spec.get("Default", "")))
            for name, spec in self.body.get("Parameters", {}).items()
        }

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {name: res for name, res in self.resources.items() if res["Type"] == kind}

    @property
    def articles_bucket(self) -> str:
        """The logical id of the bucket the functions work in (their ARTICLES_BUCKET)."""
        variables = self.body["Globals"]["Function"]["Environment"]["Variables"]
        return _logical_target(variables["ARTICLES_BUCKET"])

    def functions(self) -> dict[str, Function]:
        defaults = self.body.get("Globals", {}).get("Function", {})
        functions = {}
        for name, resource in self.of_type("AWS::Serverless::Function").items():
            props = resource["Properties"]
            environment = {
                **defaults.get("Environment", {}).get("Variables", {}),
                **props.get("Environment", {}).get("Variables", {}),
            }
            function = Function(
                logical_id=name,
                code_uri=self.path.parent / props["CodeUri"],
                handler=props.get("Handler", defaults.get("Handler")),
                timeout=int(props.get("Timeout", defaults.get("Timeout", 3))),
                memory=int(props.get("MemorySize", defaults.get("MemorySize", 128))),
                environment=environment,
            )
            for event in props.get("Events", {}).values():
                spec = event.get("Properties", {})
                if event["Type"] == "SQS":
                    function.mappings.append(
                        QueueMapping(
                            function=name,
                            queue=_logical_target(spec["Queue"]),
                            batch_size=int(spec.get("BatchSize", 10)),
                            window_seconds=int(spec.get("MaximumBatchingWindowInSeconds", 0)),
                            report_failures="ReportBatchItemFailures" in spec.get("FunctionResponseTypes", []),
                            maximum_concurrency=_int_or_none(spec.get("ScalingConfig", {}).get("MaximumConcurrency")),
                        )
                    )
                elif event["Type"] in {"ScheduleV2", "Schedule"}:
                    function.schedules.append(spec)
            functions[name] = function
        return functions


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def _logical_target(value: Any) -> str:
    """The logical id a ``!GetAtt X.Arn`` or ``!Ref X`` points at."""
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return value["Fn::GetAtt"][0]
    if isinstance(value, dict) and "Ref" in value:
        return value["Ref"]
    raise ValueError(f"unsupported reference {value!r}")


#: What ``!Ref AWS::NoValue`` resolves to: the property or variable is left out.
NO_VALUE = object()


class Resolver:
    """Evaluates intrinsic functions against the physical resources the harness made."""

    def __init__(self, template: Template, physical: dict[str, dict[str, str]]) -> None:
        self.template = template
        #: logical id -> {"Ref": ..., "Arn": ..., other attributes}
        self.physical = physical
        self.pseudo = {
            "AWS::StackName": STACK,
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }

    def ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.template.parameters:
            return self.template.parameters[name]
        return self.physical[name]["Ref"]

    def get_att(self, name: str, attribute: str) -> str:
        return self.physical[name][attribute]

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, dict):
            return value
        if "Ref" in value:
            return self.ref(value["Ref"])
        if "Fn::GetAtt" in value:
            name, attribute = value["Fn::GetAtt"]
            return self.get_att(name, attribute)
        if "Fn::Sub" in value:
            return self.sub(value["Fn::Sub"])
        if "Fn::Join" in value:
            separator, items = value["Fn::Join"]
            return separator.join(str(self.resolve(item)) for item in items)
        if "Fn::If" in value:
            condition, when_true, when_false = value["Fn::If"]
            return self.resolve(when_true if self.condition(condition) else when_false)
        return {key: self.resolve(item) for key, item in value.items()}

    def condition(self, name: str) -> bool:
        """A named condition of the template's ``Conditions`` section."""
        return self._holds(self.template.body.get("Conditions", {})[name])

    def _holds(self, spec: Any) -> bool:
        if "Condition" in spec or "Fn::Condition" in spec:  # the long and the short (!Condition) form
            return self.condition(spec.get("Condition") or spec["Fn::Condition"])
        if "Fn::Equals" in spec:
            left, right = (self.resolve(item) for item in spec["Fn::Equals"])
            return str(left) == str(right)
        if "Fn::Not" in spec:
            return not self._holds(spec["Fn::Not"][0])
        if "Fn::And" in spec:
            return all(self._holds(item) for item in spec["Fn::And"])
        if "Fn::Or" in spec:
            return any(self._holds(item) for item in spec["Fn::Or"])
        raise ValueError(f"unsupported condition {spec!r}")

    def sub(self, spec: Any) -> str:
        text, variables = (spec, {}) if isinstance(spec, str) else (spec[0], spec[1])

        def replace(match: re.Match[str]) -> str:
            token = match.group(1)
            if token in variables:
                return str(self.resolve(variables[token]))
            if "." in token and not token.startswith("AWS::"):
                name, attribute = token.split(".", 1)
                return self.get_att(name, attribute)
            return self.ref(token)

        return re.sub(r"\$\{([^}!]+)\}", replace, text)
