"""Organisations of the legal shapes the README names: without a log-archive account, without a security account,
without workload accounts, or of the management account alone. Each renders (no exception, every file parses back,
the checks pass), each warning says what the organisation loses, and the controls report says where each control
is implemented."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from baselinegen import api
from tests.conftest import EXAMPLES
from tests.support.provider_schema import validate_terraform_dir

ORG_EXAMPLE = EXAMPLES / "acme-org.yaml"
W428 = ("no security account: the management account administers the detective services itself (it designates itself the "
        "administrator of GuardDuty, Security Hub and Inspector, and holds the organisation's Access Analyzer and the Config "
        "aggregator; findings go to its alarm topic), so the security team would work every day in the management account, "
        "which service control policies never restrict; a security account takes that delegated administration")
W434 = ("no workload account: patching runs in workload accounts only, so no patch baselines or maintenance windows are "
        "rendered (modules/patching is absent); add the accounts that run instances with role workload, or turn patching "
        "off (patching.enabled: false)")


def _variant(tmp_path: Path, keep: set[str], identity: str = "identity") -> Path:
    """acme-org.yaml with only the accounts named in ``keep`` and ``identity`` as iam.identity_account."""
    document = yaml.safe_load(ORG_EXAMPLE.read_text(encoding="utf-8"))
    document["accounts"] = [a for a in document["accounts"] if a["name"] in keep]
    document["iam"]["identity_account"] = identity
    _fit_security_hub(document)
    _fit_malware_protection(document)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _fit_security_hub(document: dict) -> None:
    """The example's Security Hub central configuration, fitted to the accounts left: without a security account it
    has none (E340, E345); a configuration policy keeps only targets that remain (E342)."""
    security_hub = document["detection"]["security_hub"]
    names = {a["name"] for a in document["accounts"]}
    if not any(a["role"] == "security" for a in document["accounts"]):
        security_hub.pop("control_parameters")
        security_hub.pop("configuration_policies")
        return
    security_hub["configuration_policies"] = [p for p in security_hub["configuration_policies"] if set(p["apply_to"]) <= names]
    if not security_hub["configuration_policies"]:
        security_hub.pop("configuration_policies")


def _fit_malware_protection(document: dict) -> None:
    """The example's Malware Protection for S3 buckets, without those of accounts that are gone (E339)."""
    guardduty = document["detection"]["guardduty"]
    names = {a["name"] for a in document["accounts"]}
    guardduty["malware_protection_s3"] = [b for b in guardduty.get("malware_protection_s3", []) if b.get("account", "") in names | {""}]


def test_a_variant_keeps_the_malware_protection_of_the_accounts_it_keeps_only(tmp_path):
    kept = yaml.safe_load(_variant(tmp_path, {"management", "security", "payments-prod"}).read_text(encoding="utf-8"))
    assert kept["detection"]["guardduty"]["malware_protection_s3"] == [
        {"bucket": "acme-payments-uploads", "account": "payments-prod", "region": "ap-northeast-1", "prefixes": ["incoming/"]}]
    dropped = yaml.safe_load(_variant(tmp_path, {"management", "security"}).read_text(encoding="utf-8"))
    assert dropped["detection"]["guardduty"]["malware_protection_s3"] == []


def _render(path: Path) -> tuple[api.LoadResult, dict[str, str]]:
    loaded = api.load_profile(path)
    result = api.render_tree(loaded.profile)
    api.verify(result, loaded.profile)
    return loaded, {f.path: f.content for f in result.files}


def _calls(files: dict[str, str]) -> dict[str, list[str]]:
    """Account name -> the modules its root calls, in their order (but ``ci``, which every account calls with
    ci.github: tests/test_ci_roles.py)."""
    return {path.split("/")[1]: [m for m in re.findall(r'^module "(\w+)"', text, re.M) if m != "ci"]
            for path, text in files.items() if re.fullmatch(r"accounts/[^/]+/main\.tf", path)}


def _warnings(loaded) -> list[tuple[str, str, str]]:
    return [(w.code, w.path, w.message) for w in loaded.warnings]


def _verdicts(report) -> dict[str, tuple]:
    return {r.id: (r.verdict.status, r.verdict.evidence) for r in report.results}


def test_without_a_security_account_the_management_account_administers_detection_and_calls_module_detection(tmp_path):
    path = _variant(tmp_path, {"management", "log-archive", "identity", "payments-prod", "payments-staging"})
    loaded, files = _render(path)
    assert ("W428", "accounts", W428) in _warnings(loaded)
    assert _calls(files) == {
        "log-archive": ["job_roles", "kms", "log_archive", "config", "guards", "account_detection"],
        "management": ["job_roles", "kms", "cloudtrail", "monitoring", "config", "guards", "detection", "governance"],
        "identity": ["job_roles", "iam", "kms", "config", "guards", "account_detection", "patching"],
        "payments-prod": ["job_roles", "kms", "config", "guards", "account_detection", "patching"],
        "payments-staging": ["job_roles", "kms", "config", "guards", "account_detection", "patching"],
    }
    # findings go to the management account's alarm topic: no second topic of the same name
    assert 'module "detection" {\n  source = "../../modules/detection"\n\n  regions         = local.regions\n' \
           '  alarm_topic_arn = module.monitoring.topic_arn\n}' in files["accounts/management/main.tf"]
    assert "modules/detection/findings_topic.tf" not in files
    assert 'variable "alarm_topic_arn"' in files["modules/detection/variables.tf"]
    assert 'variable "kms_key_arn"' not in files["modules/detection/variables.tf"]
    organization = files["modules/detection/organization.tf"]
    assert 'locals {\n  administrator_account_id = "100000000001"\n}' in organization
    for type_, attribute, after in (("aws_guardduty_organization_admin_account", "admin_account_id", "aws_guardduty_detector.this"),
                                    ("aws_securityhub_organization_admin_account", "admin_account_id", "aws_securityhub_account.this"),
                                    ("aws_inspector2_delegated_admin_account", "account_id", "aws_inspector2_enabler.this")):
        block = organization[organization.index(f'resource "{type_}" "this"'):].split("\n}\n")[0]
        assert f"  {attribute} = local.administrator_account_id" in block and f"  depends_on = [{after}]" in block
    assert ("  auto_enable_organization_members = \"ALL\"\n\n  depends_on = [aws_guardduty_organization_admin_account.this]\n}"
            in organization)
    # Security Hub's organisation configuration (local: no security account) and members: security_hub_organization.tf
    hub = files["modules/detection/security_hub_organization.tf"]
    assert ('    configuration_type = "LOCAL"\n  }\n\n'
            '  depends_on = [aws_securityhub_account.this, aws_securityhub_organization_admin_account.this]\n}') in hub
    # nothing is delegated by module governance (AWS Organizations never registers the management account)
    assert "security_account_id" not in files["modules/governance/main.tf"]
    assert "This is the organisation's **management account**" in files["modules/detection/README.md"]
    rows = [line for line in files["README.md"].splitlines() if line.startswith(("| IAM Access Analyzer (", "| Amazon Inspector |"))]
    assert rows == [
        "| IAM Access Analyzer (organisation) | 1.20 | an organisation analyzer in every Region of the management account: "
        "resources shared outside the organisation; active findings go to the alarm topic `acme-security-alarms` |",
        "| Amazon Inspector | — | administrator (management account, no security account); scans ec2, ecr, lambda in every "
        "Region; the profile's 4 other accounts associated as members, new accounts enabled automatically; active findings of "
        "severity high or higher go to the alarm topic `acme-security-alarms` |",
        "| IAM Access Analyzer (every other account) | 1.20 | an account analyzer in every Region of each account but the "
        "management account |"]
    assert ("findings of severity medium or higher of every account go to the management account's alarm topic "
            "`acme-security-alarms` (KMS-encrypted with `logs`, 2 e-mail subscribers) |") in files["README.md"]
    # existing accounts are enrolled by Terraform (aws_securityhub_member, Inspector's members): no checklist item
    checklist = [line for line in files["README.md"].splitlines() if line.startswith(("- [ ] Security Hub:", "- [ ] Amazon Inspector:"))]
    assert checklist == []
    assert 'resource "aws_securityhub_member" "this" {' in hub


def test_without_a_security_account_the_controls_report_cites_the_management_accounts_analyzer(tmp_path):
    """Partial: the root's Region restriction never covers the management account's other Regions (issue 21)."""
    report = api.controls(_variant(tmp_path, {"management", "log-archive", "identity", "payments-prod", "payments-staging"}))
    assert _verdicts(report)["1.20"] == ("partial", ("module.account_detection.aws_accessanalyzer_analyzer.this (4 accounts)",
                                                     "module.detection.aws_accessanalyzer_analyzer.this (management)"))


def test_without_workload_accounts_no_patching_module_is_written_and_w434_says_so(tmp_path):
    path = _variant(tmp_path, {"management", "log-archive", "security"}, identity="security")
    loaded, files = _render(path)
    assert ("W434", "accounts", W434) in _warnings(loaded)
    assert _calls(files) == {
        "log-archive": ["job_roles", "kms", "log_archive", "config", "guards", "account_detection"],
        "management": ["job_roles", "kms", "cloudtrail", "monitoring", "config", "guards", "account_detection", "governance"],
        "security": ["job_roles", "iam", "kms", "config", "guards", "detection"],
    }
    assert [p for p in files if "patching" in p] == []
    readme = files["README.md"]
    warnings = readme[readme.index("## Profile warnings"):readme.index("## Accepted findings")]
    assert "| W434 | `accounts` |" in warnings  # the README lists the warning, which names the folder it leaves out
    readme = readme.replace(warnings, "")
    assert "modules/patching" not in readme and "Patching: turn off" not in readme and "OS security patches" not in readme


def test_without_workload_accounts_and_patching_off_only_w421_speaks_of_patching(tmp_path):
    path = _variant(tmp_path, {"management", "log-archive", "security"}, identity="security")
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["patching"] = {"enabled": False}
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    loaded, _ = _render(path)
    assert [code for code, _, _ in _warnings(loaded) if code in ("W421", "W434")] == ["W421"]


def test_the_management_account_alone_calls_every_module_but_account_detection_and_patching(tmp_path):
    loaded, files = _render(_variant(tmp_path, {"management"}, identity="management"))
    assert [code for code, _, _ in _warnings(loaded)] == ["W427", "W428", "W434", "W429", "W470"]  # W470: local configuration
    assert _calls(files) == {"management": ["job_roles", "iam", "kms", "cloudtrail", "log_archive", "monitoring", "config", "guards",
                                            "detection", "governance"]}
    assert sorted({p.split("/")[1] for p in files if p.startswith("modules/")}) == [
        "ci", "cloudtrail", "config", "detection", "governance", "guards", "iam", "job_roles", "kms", "log_archive", "monitoring"]
    assert "module.account_detection" not in files["README.md"]


def test_a_management_and_a_security_account_alone_render_without_log_archive_or_patching(tmp_path):
    document = yaml.safe_load(ORG_EXAMPLE.read_text(encoding="utf-8"))
    document["accounts"] = [a for a in document["accounts"] if a["role"] == "security"] + [
        {"name": "management", "id": "100000000001", "role": "management"}]
    document["iam"]["identity_account"] = "security"
    _fit_security_hub(document)
    _fit_malware_protection(document)
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _, files = _render(path)
    assert "modules/account_detection/main.tf" in files  # the management account calls it
    assert _calls(files)["security"] == ["job_roles", "iam", "kms", "config", "guards", "detection"]
    assert not any(p.startswith("modules/patching/") for p in files)


@pytest.mark.parametrize("keep, identity", [
    ({"management", "log-archive", "identity", "payments-prod"}, "identity"),  # no security account
    ({"management", "log-archive", "security"}, "security"),  # no workload account
    ({"management"}, "management"),  # the management account alone
])
def test_each_shape_is_fmt_canonical_and_valid_against_the_aws_provider_6_schema(tmp_path, terraform_bin, keep, identity):
    _, files = _render(_variant(tmp_path, keep, identity))
    out = tmp_path / "out"
    for path, text in files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text, encoding="utf-8")
    assert validate_terraform_dir(out) == []
    result = subprocess.run([terraform_bin, "fmt", "-check", "-recursive"], cwd=out, capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "")
