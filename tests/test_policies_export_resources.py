"""``baselinegen policies`` exports the resource policies as rendered: every bucket, key and topic policy of every
account root, held by its bucket, key (by alias) or topic, equal to the rendered tree parsed here on its own."""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.validate.hclcheck import blocks, parse_files

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
_REF = re.compile(r"^\$\{(aws_\w+)\.(\w+)\.\w+\}$")
SINGLE_ID = "123456789012"  # the single account's --account-id below
_DOC = re.compile(r"^\$\{data\.aws_iam_policy_document\.(\w+)\.json\}$")


def _export(tmp_path_factory, example: str, *args: str) -> Path:
    out = tmp_path_factory.mktemp(example) / "policies"
    run = subprocess.run([sys.executable, "-m", "baselinegen", "policies", str(EXAMPLES / example), "-o", str(out), *args],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def org(tmp_path_factory) -> Path:
    return _export(tmp_path_factory, "acme-org.yaml")


@pytest.fixture(scope="module")
def single(tmp_path_factory) -> Path:
    return _export(tmp_path_factory, "acme.yaml", "--account-id", SINGLE_ID)


def _resource_policies_in_tree(profile: Path) -> set[tuple[str, str, str, tuple[str, ...]]]:
    """(account, holder type, holder name, statement ids) of every bucket, key and topic policy, read from the
    rendered files: each account root's module calls, then each module's resources and policy documents."""
    parsed, failures = parse_files(api.render_tree(api.load_profile(profile).profile).files)
    assert failures == []
    by_dir: dict[str, list[dict]] = {}
    for path, doc in parsed.items():
        by_dir.setdefault(path.rpartition("/")[0], []).append(doc)
    roots = sorted(d for d in by_dir if re.fullmatch(r"accounts/[\w-]+", d)) or [""]
    pinned = {d: _pinned(docs) for d, docs in by_dir.items() if d in roots or d == "bootstrap"}
    found = set()
    for root in roots:
        sources = [body["source"].strip('"') for doc in by_dir[root] for _, _, body in blocks(doc, "module")]
        same = [d for d in pinned if d not in roots and pinned[d] and pinned[d] == pinned[root]]  # bootstrap/: management
        same += ["bootstrap"] if roots == [""] and "bootstrap" in by_dir else []  # a single account: its own bootstrap/
        for module in {posixpath.normpath(posixpath.join(root, s)) for s in sources} | set(same):
            resources = {(t, n): b for doc in by_dir.get(module, []) for t, n, b in blocks(doc, "resource")}
            documents = {n: b for doc in by_dir.get(module, []) for t, n, b in blocks(doc, "data") if t == "aws_iam_policy_document"}
            aliases = {_REF.match(b["target_key_id"]).group(2): b["name"].strip('"')
                       for (t, _), b in resources.items() if t == "aws_kms_alias"}
            for (type_, name), body in resources.items():
                if type_ == "aws_s3_bucket_policy":
                    holder = ("bucket", resources[_REF.match(body["bucket"]).groups()]["bucket"].strip('"'))
                elif type_ == "aws_kms_key":
                    holder = ("key", aliases[name])
                elif type_ == "aws_sns_topic_policy":
                    holder = ("topic", resources[_REF.match(body["arn"]).groups()]["name"].strip('"'))
                else:
                    continue
                statements = documents[_DOC.match(body["policy"]).group(1)]["statement"]
                holder = (holder[0], holder[1].replace("${local.account_id}", pinned.get(root) or SINGLE_ID))
                found.add((root.removeprefix("accounts/"), *holder, tuple(s["sid"].strip('"') for s in statements)))
    return found


def _pinned(docs: list[dict]) -> str | None:
    """The account id a root's provider pins (allowed_account_ids), if any."""
    for doc in docs:
        for provider in doc.get("provider", []):
            ids = (provider.get("aws") or provider.get('"aws"') or {}).get("allowed_account_ids")
            if ids:
                return ids[0].strip('"')
    return None


def _resource_policies_in_index(folder: Path) -> set[tuple[str, str, str, tuple[str, ...]]]:
    index = json.loads((folder / "index.json").read_text())["accounts"]
    found = set()
    for name, entry in index.items():
        account = "" if entry["folder"] == "." or re.fullmatch(r"\d{12}", name) else name
        for policy in entry["policies"]:
            if policy["kind"] in ("bucket-policy", "key-policy", "topic-policy"):
                document = json.loads((folder / ("" if entry["folder"] == "." else entry["folder"]) / policy["file"]).read_text())
                sids = tuple(s["Sid"] for s in document["Statement"])
                found |= {(account, h["type"], h["name"], sids) for h in policy["holders"]}
    return found


def test_the_organisation_exports_every_bucket_key_and_topic_policy_as_rendered(org):
    found = _resource_policies_in_index(org)
    assert found == _resource_policies_in_tree(EXAMPLES / "acme-org.yaml")
    # bootstrap/ deploys into the management account: its state bucket and key are the management account's
    assert {(a, t, n) for a, t, n, _ in found if "terraform-state" in n} == {
        ("management", "bucket", "acme-org-terraform-state"), ("management", "key", "alias/acme-terraform-state")}


def test_a_single_account_exports_every_bucket_key_and_topic_policy_as_rendered(single):
    found = _resource_policies_in_index(single)
    assert found == _resource_policies_in_tree(EXAMPLES / "acme.yaml")
    assert {(kind, name) for _, kind, name, _ in found} >= {("key", "alias/acme-logs"), ("topic", "acme-security-alarms"),
                                                             ("key", "alias/acme-terraform-state"),
                                                             ("bucket", "acme-cloudtrail-123456789012")}


def test_the_index_says_which_bucket_in_which_account_holds_each_bucket_policy(org):
    index = json.loads((org / "index.json").read_text())["accounts"]
    buckets = {(account, p["file"], p["address"], tuple(h["name"] for h in p["holders"]))
               for account, entry in index.items() for p in entry["policies"] if p["kind"] == "bucket-policy"}
    assert buckets == {("management", "acme-org-terraform-state-bucket-policy.json", "bootstrap:aws_s3_bucket_policy.state",
                        ("acme-org-terraform-state",))} | {
        ("log-archive", f"acme-{b}-200000000002-bucket-policy.json",
         f"accounts/log-archive:module.log_archive.aws_s3_bucket_policy.{r}", (f"acme-{b}-200000000002",))
        for b, r in (("cloudtrail", "trail"), ("config", "config"), ("s3-access-logs", "access_logs"))}
    key = json.loads((org / "payments-prod" / "acme-logs-key-policy.json").read_text())
    assert key["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::500000000005:root"}


def test_aws_managed_policy_arns_are_in_the_profiles_partition_not_a_terraform_local(org):
    index = (org / "index.json").read_text()
    assert "${local.partition}" not in index
    assert '"arn": "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"' in index


def _permission_sets_in_tree(profile: Path) -> dict[str, dict]:
    """Each permission set of the rendered identity_center module, with what the resources of the same name give it."""
    parsed, failures = parse_files(api.render_tree(api.load_profile(profile).profile).files)
    assert failures == []
    resources = {(t, n): b for path, doc in parsed.items() if path.startswith("modules/identity_center/")
                 for t, n, b in blocks(doc, "resource")}
    out = {}
    for (type_, name), body in resources.items():
        if type_ != "aws_ssoadmin_permission_set":
            continue
        beside = {t: b for (t, n), b in resources.items() if n == name}
        customer = beside.get("aws_ssoadmin_customer_managed_policy_attachment")
        boundary = beside.get("aws_ssoadmin_permissions_boundary_attachment")
        out[body["name"].strip('"')] = {
            "accounts": [v.strip('"') for v in beside["aws_ssoadmin_account_assignment"]["for_each"].values()],
            "managed_policy_arns": sorted(v.strip('"') for v in
                                          (beside.get("aws_ssoadmin_managed_policy_attachment") or {"for_each": {}})["for_each"].values()),
            "inline": "aws_ssoadmin_permission_set_inline_policy" in beside,
            "customer_managed_policies": sorted(f"{n}.json" for n in re.findall(r'"([^"]+)"', customer["for_each"])) if customer else [],
            "permissions_boundary": (boundary["permissions_boundary"][0]["customer_managed_policy_reference"][0]["name"].strip('"')
                                     + ".json") if boundary else None}
    return out


def test_the_permission_sets_are_exported_as_the_rendered_ssoadmin_resources_give_them(tmp_path_factory):
    folder = _export(tmp_path_factory, "acme-identity-center.yaml")
    index = json.loads((folder / "index.json").read_text())["permission_sets"]
    exported = {name: {"accounts": s["accounts"], "managed_policy_arns": s["managed_policy_arns"],
                       "inline": s["inline_policy"] == f"{name}-inline.json",
                       "customer_managed_policies": s["customer_managed_policies"],
                       "permissions_boundary": s["permissions_boundary"]} for name, s in index.items()}
    assert exported == _permission_sets_in_tree(EXAMPLES / "acme-identity-center.yaml")
    for s in index.values():
        for file in [s["inline_policy"], s["permissions_boundary"], *s["customer_managed_policies"]]:
            assert file is None or json.loads((folder / "permission_sets" / file).read_text())["Statement"]
    boundary = json.loads((folder / "permission_sets" / "acme-baseline-boundary.json").read_text())
    assert "arn:aws:iam::111122223333:" in json.dumps(boundary)  # a customer managed policy: the placeholder account


def test_a_profile_without_identity_center_exports_no_permission_sets(org):
    assert "permission_sets" not in json.loads((org / "index.json").read_text())
    assert not (org / "permission_sets").exists()
