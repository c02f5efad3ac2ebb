"""Accepted deviations (the profile's ``exceptions``): inline checkov skips on exactly the resources of the check's
types, the generated README's tables, "accepted deviation" in the controls report, ``--strict`` accepting only the
warnings an exception names, the review's first block, and a checkov run that passes because of them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.deviations import MODULES, checkov_checks
from baselinegen.review import build_review, format_review

ROOT = Path(__file__).resolve().parent.parent
ACME = (ROOT / "examples" / "acme.yaml").read_text(encoding="utf-8")
BAD = ROOT / "tests" / "bad_profiles"
REASON = "The legacy payroll system cannot type more than 12 characters."
EXCEPTIONS = f"""
exceptions:
  - {{check: CKV_AWS_10, where: iam, reason: "{REASON}", accepted_by: CISO decision 2026-11, until: 2099-06-30}}
  - {{check: W401, where: iam, reason: "{REASON}", accepted_by: CISO decision 2026-11, until: 2099-06-30}}
  - {{check: "1.8", reason: "{REASON}", accepted_by: CISO decision 2026-11, until: 2099-06-30}}
"""
SHORT = ACME.replace("minimum_length: 14", "minimum_length: 12", 1)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _files(path: Path) -> dict[str, str]:
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


@pytest.fixture(scope="module")
def accepted(tmp_path_factory) -> Path:
    return _write(tmp_path_factory.mktemp("accepted"), "acme.yaml", SHORT + EXCEPTIONS)


def test_a_checkov_exception_skips_exactly_the_resources_of_its_types(accepted):
    files = _files(accepted)
    skipped = {path: text.count("#checkov:skip=CKV_AWS_10:") for path, text in files.items() if "#checkov:skip=CKV_AWS_10:" in text}
    assert skipped == {"modules/iam/main.tf": 1}
    assert ('resource "aws_iam_account_password_policy" "this" {\n'
            f"  #checkov:skip=CKV_AWS_10:{REASON}\n") in files["modules/iam/main.tf"]
    assert checkov_checks()["CKV_AWS_10"] == ("aws_iam_account_password_policy",)


def test_a_skip_the_template_already_has_is_not_written_twice(tmp_path):
    path = _write(tmp_path, "acme.yaml", ACME + "\nexceptions:\n  - {check: CKV_AWS_109, where: kms, reason: \"The key policy "
                  "names the key itself.\", accepted_by: CISO, until: 2099-06-30}\n")
    text = _files(path)["modules/kms/policies.tf"]
    assert text.count("#checkov:skip=CKV_AWS_109:") == 1


def test_the_generated_readme_lists_the_deviations_and_the_skip(accepted):
    readme = _files(accepted)["README.md"]
    section = readme[readme.index("## Accepted deviations"):readme.index("## Accepted findings")]
    assert section.endswith(
        "| Check | Where | Reason | Accepted by | Until |\n|---|---|---|---|---|\n"
        f"| `CKV_AWS_10` | modules/iam | {REASON} | CISO decision 2026-11 | 2099-06-30 |\n"
        f"| `W401` | modules/iam | {REASON} | CISO decision 2026-11 | 2099-06-30 |\n"
        f"| `1.8` | all | {REASON} | CISO decision 2026-11 | 2099-06-30 |\n\n")
    assert f"| CKV_AWS_10 | `module.iam.aws_iam_account_password_policy.this` | {REASON} |\n" in readme


def test_the_controls_report_says_accepted_deviation(accepted):
    report = api.controls(accepted)
    control = next(r for r in report.results if r.id == "1.8")
    assert (control.verdict.status, control.verdict.detail) == (
        "partial", f"iam.password_policy.minimum_length is 12; CIS asks for 14 or more; accepted deviation: {REASON} "
                   "(accepted by CISO decision 2026-11 until 2099-06-30)")


def _validate(path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baselinegen", "validate", str(path), *extra], capture_output=True, text=True)


def test_strict_accepts_a_warning_only_when_an_exception_names_it(tmp_path):
    assert _validate(BAD / "exceptions_strict.yaml", "--strict").returncode == 0
    without = _write(tmp_path, "p.yaml", (BAD / "exceptions_strict.yaml").read_text().split("\nexceptions:")[0] + "\n")
    refused = _validate(without, "--strict")
    assert refused.returncode == 1
    assert refused.stderr.endswith("1 error(s) (1 of them warnings, errors under --strict), 0 warning(s); nothing was written.\n")
    elsewhere = _write(tmp_path, "q.yaml", (BAD / "exceptions_strict.yaml").read_text().replace("where: iam", "where: kms"))
    result = _validate(elsewhere, "--strict")  # an exception for another module accepts nothing: W401 and W481 count
    assert result.returncode == 1 and "[W481]" in result.stderr


def test_an_expired_exception_is_a_warning_and_fails_strict(tmp_path):
    path = _write(tmp_path, "p.yaml", (BAD / "exceptions_strict.yaml").read_text().replace("2099-12-31", "2020-12-31"))
    result = _validate(path, "--strict")
    assert result.returncode == 1
    assert ("exceptions[0].until: warning: expired on 2020-12-31: W401 is still skipped and accepted; fix the finding or "
            "renew the exception with a later until [W480]") in result.stderr


def test_every_module_a_render_writes_can_be_named(rendered_example, rendered_org):
    center = {f.path.split("/")[1] for f in api.render_tree(api.load_profile(ROOT / "examples" / "acme-identity-center.yaml")
                                                               .profile).files if f.path.startswith("modules/")}
    written = {p.name for tree in (rendered_example, rendered_org) for p in (tree / "modules").iterdir() if p.is_dir()}
    assert written | center == set(MODULES)
    assert center - written == {"break_glass", "identity_center"}  # identity-center mode's own modules


def test_the_review_puts_the_exceptions_first_in_every_format(tmp_path, accepted):
    before = _files(_write(tmp_path, "short.yaml", SHORT))
    review = build_review(before, _files(accepted))
    lines = tuple(f"exception added: `{check}` {where}: {REASON} (accepted by CISO decision 2026-11 until 2099-06-30) (weaker)"
                  for check, where in (("1.8", "everywhere"), ("CKV_AWS_10", "in module `iam`"), ("W401", "in module `iam`")))
    assert review.deviations == lines
    assert format_review(review, "text").startswith(f"Accepted deviations (3):\n  - {lines[0]}\n  - {lines[1]}\n  - {lines[2]}\n\n")
    assert format_review(review, "markdown").startswith(
        "## baselinegen: what this regeneration changes\n\n### Accepted deviations (3)\n\n"
        + "".join(f"- {line}\n" for line in lines) + "\n### Profile warnings (1)\n\n"
        "- W401 now accepted: `iam.password_policy.minimum_length`: 12 is below the CIS minimum of 14 characters (accepted "
        "deviation: exceptions\\[1\\], until 2099-06-30)\n\n### Security summary (0)\n\n")
    assert review.summary == ()  # a skip comment changes nothing in AWS
    assert json.loads(format_review(review, "json"))["deviations"] == list(lines)
    removed = build_review(_files(accepted), before)
    assert removed.deviations[1] == (f"exception removed: `CKV_AWS_10` in module `iam`: {REASON} (accepted by CISO decision "
                                     "2026-11 until 2099-06-30) (stronger)")


def _checkov(checkov_bin: str, directory: Path) -> dict:
    result = subprocess.run([checkov_bin, "-d", str(directory), "--framework", "terraform", "--output", "json", "--compact",
                             "--skip-download"], capture_output=True, text=True, timeout=900)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    return report[0] if isinstance(report, list) else report


def test_the_exception_makes_the_generated_repositorys_checkov_step_pass(tmp_path, accepted, checkov_bin):
    weak = tmp_path / "weak"
    api.render(_write(tmp_path, "short.yaml", SHORT), weak)
    failed = _checkov(checkov_bin, weak / "modules" / "iam")["results"]["failed_checks"]
    assert [(c["check_id"], c["resource"]) for c in failed] == [("CKV_AWS_10", "aws_iam_account_password_policy.this")]
    out = tmp_path / "accepted"
    api.render(accepted, out)
    report = _checkov(checkov_bin, out)
    assert report["results"]["failed_checks"] == []
    assert ("CKV_AWS_10", "module.iam.aws_iam_account_password_policy.this") in {
        (c["check_id"], c["resource"]) for c in report["results"]["skipped_checks"]}


ORG = (ROOT / "examples" / "acme-org.yaml").read_text(encoding="utf-8")
ORG_SHORT = ORG.replace("minimum_length: 14", "minimum_length: 12", 1).replace("exceptions:\n", (
    "exceptions:\n  - {check: CKV_AWS_10, where: payments-prod, reason: \"" + REASON + "\", accepted_by: CISO decision 2026-11, "
    "until: 2099-06-30}\n"), 1)


def test_an_account_exception_skips_that_accounts_module_calls_only(tmp_path):
    files = _files(_write(tmp_path, "acme-org.yaml", ORG_SHORT))
    skipped = {path for path, text in files.items() if "#checkov:skip=CKV_AWS_10:" in text}
    assert skipped == {"accounts/payments-prod/main.tf"}
    assert ('module "job_roles" {\n'
            f"  #checkov:skip=CKV_AWS_10:{REASON}\n"
            '  source = "../../modules/job_roles"\n') in files["accounts/payments-prod/main.tf"]
    readme = files["README.md"]
    assert (f"| CKV_AWS_10 | `accounts/payments-prod:module.job_roles.aws_iam_account_password_policy.this` | {REASON} |"
            in readme)


def test_an_account_exception_passes_checkov_there_and_fails_it_in_the_other_accounts(tmp_path, checkov_bin):
    out = tmp_path / "org"
    api.render(_write(tmp_path, "acme-org.yaml", ORG_SHORT), out)
    result = subprocess.run([checkov_bin, "-d", str(out), "--framework", "terraform", "--output", "json", "--compact",
                             "--skip-download", "--check", "CKV_AWS_10"], capture_output=True, text=True, timeout=900)
    report = json.loads(result.stdout)
    report = report[0] if isinstance(report, list) else report
    callers = {kind: {c.get("caller_file_path") for c in report["results"][kind]} for kind in ("failed_checks", "skipped_checks")}
    assert callers["skipped_checks"] == {"/accounts/payments-prod/main.tf"}
    assert callers["failed_checks"] and "/accounts/payments-prod/main.tf" not in callers["failed_checks"]


def test_the_check_table_is_checkovs_own_registries_and_graph_checks(checkov_bin):
    """Read again from the installed checkov (tests/support/checkov_table.py run with checkov's Python)."""
    python = str(Path(checkov_bin).parent / "python")
    run = subprocess.run([python, str(ROOT / "tests" / "support" / "checkov_table.py"), "2026-12-05"], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert {k: tuple(v) for k, v in json.loads(run.stdout)["checks"].items()} == checkov_checks()
    assert checkov_checks()["CKV2_AWS_10"] == ("aws_cloudtrail",)  # a graph check: the type it reports on
    assert checkov_checks()["CKV_AWS_144"] == ("aws_s3_bucket",)  # a CKV_AWS id written as a graph check


def test_a_graph_check_exception_is_an_inline_skip_checkov_honours(tmp_path, checkov_bin):
    reason = "The trail's CloudWatch Logs delivery is replaced by the organisation's log pipeline."
    profile = _write(tmp_path, "acme.yaml", ACME + f"""
exceptions:
  - {{check: CKV2_AWS_10, where: cloudtrail, reason: "{reason}", accepted_by: CISO decision 2026-12, until: 2099-06-30}}
""")
    out = tmp_path / "out"
    api.render(profile, out)
    text = (out / "modules" / "cloudtrail" / "main.tf").read_text(encoding="utf-8")
    assert f'resource "aws_cloudtrail" "this" {{\n  #checkov:skip=CKV2_AWS_10:{reason}\n' in text
    result = subprocess.run([checkov_bin, "-d", str(out), "--framework", "terraform", "--output", "json", "--compact",
                             "--skip-download", "--check", "CKV2_AWS_10"], capture_output=True, text=True, timeout=900)
    report = json.loads(result.stdout)
    report = report[0] if isinstance(report, list) else report
    assert [(c["check_id"], c["resource"]) for c in report["results"]["skipped_checks"]] == [
        ("CKV2_AWS_10", "module.cloudtrail.aws_cloudtrail.this")]
    assert report["results"]["failed_checks"] == []


def _w482(loaded) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in loaded.warnings if p.code == "W482"]


def test_a_checkov_exception_that_skips_nothing_is_a_located_warning(tmp_path):
    reason = "EBS volumes are encrypted by the account default."
    profile = _write(tmp_path, "acme.yaml", ACME + f"""
exceptions:
  - {{check: CKV_AWS_3, where: iam, reason: "{reason}", accepted_by: CISO decision 2026-12, until: 2099-06-30}}
  - {{check: CKV_AWS_8, reason: "{reason}", accepted_by: CISO decision 2026-12, until: 2099-06-30}}
  - {{check: CKV_AWS_10, where: iam, reason: "{reason}", accepted_by: CISO decision 2026-12, until: 2099-06-30}}
""")
    loaded = api.load_profile(profile)
    assert _w482(loaded) == [
        ("exceptions[0].where", "skips nothing: the render has no resource of CKV_AWS_3's types (aws_ebs_volume) in "
                                "modules/iam; remove the exception or name where that resource is"),
        ("exceptions[1].where", "skips nothing: the render has no resource of CKV_AWS_8's types (aws_instance, "
                                "aws_launch_configuration) anywhere; remove the exception or name where that resource is")]
    assert [p.location.line for p in loaded.warnings if p.code == "W482"] == [
        i + 1 for i, line in enumerate(profile.read_text().splitlines()) if "CKV_AWS_3" in line or "CKV_AWS_8" in line]
    with pytest.raises(Exception, match="W482"):
        api.load_profile(profile, strict=True)


def test_an_account_exception_skips_nothing_where_the_account_has_no_such_resource(tmp_path):
    scoped = ORG.replace("exceptions:\n", (
        "exceptions:\n  - {check: CKV_AWS_10, where: payments-prod, reason: \"" + REASON + "\", accepted_by: CISO decision "
        "2026-11, until: 2099-06-30}\n  - {check: CKV2_AWS_10, where: log-archive, reason: \"" + REASON + "\", accepted_by: "
        "CISO decision 2026-11, until: 2099-06-30}\n"), 1)
    assert _w482(api.load_profile(_write(tmp_path, "acme-org.yaml", scoped))) == [
        ("exceptions[1].where", "skips nothing: the render has no resource of CKV2_AWS_10's types (aws_cloudtrail) in "
                                "account log-archive; remove the exception or name where that resource is")]


def test_an_account_exception_also_skips_the_other_roots_that_deploy_into_that_account(tmp_path):
    """bootstrap/ (the state bucket and its key) deploys into the management account: where: management skips there."""
    reason = "The state key's policy is reviewed by the platform team."
    scoped = ORG.replace("exceptions:\n", (
        "exceptions:\n  - {check: CKV2_AWS_64, where: management, reason: \"" + reason + "\", accepted_by: CISO decision "
        "2026-12, until: 2099-06-30}\n"), 1)
    profile = _write(tmp_path, "acme-org.yaml", scoped)
    files = _files(profile)
    assert {path for path, text in files.items() if "#checkov:skip=CKV2_AWS_64:" in text} == {
        "accounts/management/main.tf", "bootstrap/main.tf"}
    assert f'resource "aws_kms_key" "state" {{\n  #checkov:skip=CKV2_AWS_64:{reason}\n' in files["bootstrap/main.tf"]
    assert f"| CKV2_AWS_64 | `bootstrap:aws_kms_key.state` | {reason} |" in files["README.md"]
    assert f"| CKV2_AWS_64 | `accounts/management:module.kms.aws_kms_key.logs` | {reason} |" in files["README.md"]
    assert _w482(api.load_profile(profile)) == []
