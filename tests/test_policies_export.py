"""``baselinegen policies`` exports what the rendered Terraform attaches, in both modes: the index equals the
attachments read straight from the rendered tree (parsed here on its own), and the documents equal the policies'
own data (policy/document.py) as IAM gets them."""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.components.iam.guardrails import boundary_policy
from baselinegen.components.iam.policies import group_policies, mfa_policy
from baselinegen.policy.document import to_json_policy
from baselinegen.validate.hclcheck import blocks, parse_files

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
_REF = re.compile(r"^\$\{(aws_iam_\w+)\.(\w+)\.\w+\}$")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baselinegen", "policies", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def org(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("org") / "policies"
    assert _cli(str(EXAMPLES / "acme-org.yaml"), "-o", str(out)).returncode == 0
    return out


@pytest.fixture(scope="module")
def single(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("single") / "policies"
    assert _cli(str(EXAMPLES / "acme.yaml"), "-o", str(out), "--account-id", "123456789012").returncode == 0
    return out


def _attachments_in_tree(profile: Path) -> set[tuple[str, str, str, str]]:
    """(account, principal type, principal name, policy name or AWS managed ARN) of every policy attachment, read
    from the rendered files: each account root's module calls, then each module's attachment resources."""
    files = api.render_tree(api.load_profile(profile).profile).files
    parsed, failures = parse_files(files)
    assert failures == []
    by_dir: dict[str, list[dict]] = {}
    for path, doc in parsed.items():
        by_dir.setdefault(path.rpartition("/")[0], []).append(doc)
    roots = sorted(d for d in by_dir if re.fullmatch(r"accounts/[\w-]+", d)) or [""]
    found = set()
    for root in roots:
        account = root.removeprefix("accounts/")
        sources = [body["source"] for doc in by_dir[root] for _, _, body in blocks(doc, "module")]
        modules = [posixpath.normpath(posixpath.join(root, s.strip('"'))) for s in sources]
        for module in modules:
            resources = {(t, n): b for doc in by_dir.get(module, []) for t, n, b in blocks(doc, "resource")}
            for (type_, _), body in resources.items():
                kind = {"aws_iam_group_policy_attachment": "group", "aws_iam_user_policy_attachment": "user",
                        "aws_iam_role_policy_attachment": "role"}.get(type_)
                if kind is None:
                    continue
                holder = _REF.match(body[kind])
                holder_name = resources[(holder.group(1), holder.group(2))]["name"].strip('"')
                values = body["for_each"].values() if isinstance(body.get("for_each"), dict) else [body["policy_arn"]]
                for value in values:
                    ref = _REF.match(value)
                    policy = resources[(ref.group(1), ref.group(2))]["name"].strip('"') if ref else value.strip('"').replace(
                        "${local.partition}", "aws")  # as IAM gets it: the profile's partition
                    found.add((account, kind, holder_name, policy))
    return found


def _attachments_in_index(folder: Path) -> set[tuple[str, str, str, str]]:
    index = json.loads((folder / "index.json").read_text())["accounts"]
    name_of = {name: ("" if entry["folder"] == "." or re.fullmatch(r"\d{12}", name) else name) for name, entry in index.items()}
    found = set()
    for name, entry in index.items():
        for policy in entry["policies"]:
            found |= {(name_of[name], h["type"], h["name"], policy["name"]) for h in policy["holders"] if h["as"] == "policy"
                      and h["type"] != "target" and policy["kind"] == "managed"}
        found |= {(name_of[name], h["type"], h["name"], m["arn"]) for m in entry["aws_managed"] for h in m["holders"]}
    return found


def test_the_organisation_index_equals_the_rendered_attachments(org):
    assert _attachments_in_index(org) == _attachments_in_tree(EXAMPLES / "acme-org.yaml")


def test_the_single_account_index_equals_the_rendered_attachments(single):
    assert _attachments_in_index(single) == _attachments_in_tree(EXAMPLES / "acme.yaml")


def test_app_policies_sit_on_the_role_in_an_organisation_not_on_the_group(org):
    identity = json.loads((org / "index.json").read_text())["accounts"]["identity"]
    holders = {p["name"]: p["holders"] for p in identity["policies"]}
    assert holders["acme-PaymentsApps-app-1"] == [{"type": "role", "name": "acme-PaymentsApps", "as": "policy"}]
    assert [p["name"] for p in identity["policies"] if {"type": "group", "name": "PaymentsApps", "as": "policy"} in p["holders"]] == [
        "acme-PaymentsApps-assume-role", "acme-baseline-mfa"]


def test_trust_policies_and_assume_role_statements_are_exported(org):
    trust = json.loads((org / "management" / "acme-Administrators-trust.json").read_text())
    assert trust["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::400000000004:root"}
    assert trust["Statement"][0]["Condition"]["Bool"] == {"aws:MultiFactorAuthPresent": ["true"]}
    assume = json.loads((org / "identity" / "acme-Administrators-assume-role.json").read_text())
    assert assume["Statement"][0]["Action"] == ["sts:AssumeRole"]
    assert "arn:aws:iam::500000000005:role/baseline/acme-Administrators" in assume["Statement"][0]["Resource"]


def test_service_control_policies_are_exported_with_their_target(org):
    management = json.loads((org / "index.json").read_text())["accounts"]["management"]
    assert management["account_id"] == "100000000001" and management["folder"] == "management"
    scps = [(p["file"], p["holders"]) for p in management["policies"] if p["kind"] == "scp"]
    assert scps == [("acme-guardrails.json", [{"type": "target", "name": "root", "as": "policy"}]),
                    ("acme-region-restriction.json", [{"type": "target", "name": "root", "as": "policy"}])]
    regions = json.loads((org / "management" / "acme-region-restriction.json").read_text())["Statement"][0]
    assert regions["Condition"]["StringNotEquals"] == {"aws:RequestedRegion": ["ap-northeast-1", "us-east-1"]}


def _normalised(document: dict) -> list[dict]:
    out = []
    for statement in document["Statement"]:
        statement = {k: (sorted([v] if isinstance(v, str) else v) if k in ("Action", "NotAction", "Resource", "NotResource") else v)
                     for k, v in statement.items()}
        if "Condition" in statement:
            statement["Condition"] = {t: {k: sorted([v] if isinstance(v, str) else v) for k, v in c.items()}
                                      for t, c in statement["Condition"].items()}
        out.append(statement)
    return out


def test_the_documents_are_the_policies_as_iam_gets_them(single):
    profile = api.load_profile(EXAMPLES / "acme.yaml").profile
    documents = [mfa_policy(profile), boundary_policy(profile)] + [d for g in profile.iam.groups for d in group_policies(g, profile).documents]
    for document in documents:
        expected = to_json_policy(document, partition="aws", account_id="123456789012", regions=profile.organization.regions)
        assert _normalised(json.loads((single / f"{document.name}.json").read_text())) == _normalised(expected), document.name


def test_several_account_ids_write_one_folder_each(tmp_path):
    result = _cli(str(EXAMPLES / "acme.yaml"), "-o", str(tmp_path / "p"), "--account-id", "123456789012", "--account-id", "210987654321")
    assert result.returncode == 0, result.stderr
    index = json.loads((tmp_path / "p" / "index.json").read_text())["accounts"]
    assert {n: e["folder"] for n, e in index.items()} == {"123456789012": "123456789012", "210987654321": "210987654321"}
    texts = [p.read_text() for p in (tmp_path / "p" / "210987654321").iterdir()]
    assert any("arn:aws:iam::210987654321:" in t for t in texts) and not any("123456789012" in t for t in texts)


def test_an_organisation_exports_the_accounts_asked_for_and_refuses_others(tmp_path):
    result = _cli(str(EXAMPLES / "acme-org.yaml"), "-o", str(tmp_path / "p"), "--account-id", "100000000001")
    assert result.returncode == 0, result.stderr
    assert list(json.loads((tmp_path / "p" / "index.json").read_text())["accounts"]) == ["management"]
    refused = _cli(str(EXAMPLES / "acme-org.yaml"), "-o", str(tmp_path / "q"), "--account-id", "123456789012")
    assert refused.returncode == 1
    assert refused.stderr == ("error: --account-id '123456789012' is not an account of the profile; its accounts: identity "
                              "(400000000004), log-archive (200000000002), management (100000000001), payments-prod "
                              "(500000000005), payments-staging (060000000006), security (300000000003)\n")
    assert not (tmp_path / "q").exists()


def test_a_trust_policy_the_module_chooses_by_input_is_the_one_rendered(single):
    trust = json.loads((single / "acme-baseline-plan-trust.json").read_text())  # github_oidc = true: the GitHub one
    assert [s["Sid"] for s in trust["Statement"]] == ["EntryAccountPlanRole", "GitHubPlan"]
    assert trust["Statement"][1]["Principal"] == {
        "Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}
