"""Print baselinegen/deviations/checkov_checks.json as read from an installed checkov: run it with checkov's own Python
(``<checkov venv>/bin/python tests/support/checkov_table.py <date>``). Each AWS check id and the Terraform types whose
resources (``data.<type>`` for data sources) carry its result, so an inline ``#checkov:skip`` there skips it:

- resource and data checks: the types the check registers for (``supported_resources`` / ``supported_data``);
- graph checks (``CKV2_AWS_*`` and the few ``CKV_AWS_*`` written as graph checks): the types of the definition's
  ``resource_type`` filter (the resources checkov reports the check on), else the types its conditions name (not their
  connected types: those are what the reported resource must be connected to).
"""

from __future__ import annotations

import glob
import json
import os
import sys

import checkov
from checkov.terraform.checks.data.registry import data_registry
from checkov.terraform.checks.resource.registry import resource_registry
import checkov.terraform.checks.data.aws  # noqa: F401 (registers the checks)
import checkov.terraform.checks.resource.aws  # noqa: F401
from checkov.terraform.checks import graph_checks
from checkov.version import version


def _filters(node, top: bool) -> list[str]:
    out = []
    for child in node.get("and", []) + node.get("or", []) if isinstance(node, dict) else []:
        if child.get("cond_type") == "filter" and child.get("attribute") == "resource_type":
            out += child["value"] if isinstance(child["value"], list) else [child["value"]]
        elif not top:
            out += _filters(child, False)
    return out


def _types(node) -> list[str]:
    if not isinstance(node, dict):
        return []
    out = list(node.get("resource_types", [])) if node.get("cond_type") != "filter" else []
    for child in node.get("and", []) + node.get("or", []) + ([node["not"]] if "not" in node else []):
        out += _types(child)
    return out


def graph_types(definition: dict) -> list[str]:
    return sorted(set(_filters(definition, True) or _filters(definition, False) or _types(definition)))


def table() -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for registry, prefix in ((resource_registry, ""), (data_registry, "data.")):
        for type_, checks in registry.checks.items():
            for check in checks:
                if check.id.startswith(("CKV_AWS_", "CKV2_AWS_")):
                    out.setdefault(check.id, set()).add(prefix + type_)
    for path in glob.glob(os.path.join(os.path.dirname(graph_checks.__file__), "aws", "*.json")):
        with open(path, encoding="utf-8") as f:
            check = json.load(f)
        types = graph_types(check["definition"])
        if types:
            out.setdefault(check["metadata"]["id"], set()).update(types)
    return {k: sorted(v) for k, v in sorted(out.items(), key=lambda kv: (kv[0].startswith("CKV2"), int(kv[0].rsplit("_", 1)[1])))}


if __name__ == "__main__":
    json.dump({"source": f"checkov {version} (pip), checkov.terraform.checks resource and data registries and the AWS graph "
                         "checks (graph_checks/aws/*.json: the types of the resource_type filter); each AWS check id and the "
                         "Terraform types it reports on; regenerate with tests/support/checkov_table.py",
               "date": sys.argv[1], "checks": table()}, sys.stdout, indent=1)
    sys.stdout.write("\n")
