"""Synthetic organisations for the benchmark: accounts x regions x job functions x users.

The profile is the example organisation (examples/acme-org.yaml, with people in IAM Identity Center as in
examples/acme-identity-center.yaml) widened, with every feature that adds resources to every root: the four
accounts of every role (management, log-archive, security, and a shared-services account ``identity``) plus workload
accounts ``app-NNNN`` up to ``accounts``; ``regions`` Regions (every fifth workload runs in the home Region only).

- Units three levels deep: Security (log-archive, security), Infrastructure (identity), Workloads/Prod and
  Workloads/NonProd, and Workloads/Prod/Critical (Workloads, Prod and Critical exist already: imported by their
  ids); workloads alternate between Prod and NonProd, every tenth in Critical.
- governance.policies: an SCP (protect-security-services) at the root, the data-perimeter RCP at the root, the
  ec2-secure-defaults declarative policy on Workloads.
- Identity Center: the five built-in job functions plus app-developer groups up to ``job_functions``, each a
  permission set; Operators reach every account but log-archive, each app-developer group identity and Workloads;
  ``users`` people of the Identity Store spread over the groups (two administrators at least), two break-glass users.
- Security Hub central configuration (the security account, findings aggregated), with a configuration policy
  for Workloads/Prod/Critical that adds PCI DSS.
- adopt: the identity account's password policy; every tenth workload (app-0009, app-0019, ...) its password
  policy and S3 account public access block.
"""

from __future__ import annotations

from pathlib import Path

import yaml

HOME_REGION = "ap-northeast-1"
REGIONS = ("ap-northeast-1", "us-east-1", "eu-west-1", "us-west-2", "eu-central-1", "ap-southeast-1", "ap-southeast-2",
           "ca-central-1", "eu-north-1", "sa-east-1")
ROLE_ACCOUNTS = (("management", "management"), ("log-archive", "log-archive"), ("security", "security"),
                 ("identity", "workload"))
DUTY_GROUPS = (("Administrators", "administrator"), ("InfraAdmins", "infra-admin"), ("SecurityAdmins", "security-admin"),
               ("IAMAdmins", "iam-admin"), ("Operators", "operator"))
APP_SERVICES = ("lambda", "dynamodb", "s3", "sqs", "logs")


UNITS = [{"name": "Security"}, {"name": "Infrastructure"},
         {"name": "Workloads", "id": "ou-ab12-1a2b3c4d", "units": [
             {"name": "Prod", "id": "ou-ab12-5e6f7a8b", "units": [{"name": "Critical", "id": "ou-ab12-c3d4e5f6"}]},
             {"name": "NonProd"}]}]
ROLE_UNITS = {"log-archive": "Security", "security": "Security", "identity": "Infrastructure"}


def _workload_unit(n: int) -> str:
    return "Workloads/Prod/Critical" if n % 10 == 0 else ("Workloads/Prod" if n % 2 == 0 else "Workloads/NonProd")


def _accounts(count: int, regions: list[str]) -> list[dict]:
    accounts = [{"name": name, "id": f"{i + 1}{i + 1:011d}", "role": role} for i, (name, role) in enumerate(ROLE_ACCOUNTS)]
    for account in accounts:
        if account["name"] in ROLE_UNITS:
            account["unit"] = ROLE_UNITS[account["name"]]
        if account["name"] == "identity":
            account["adopt"] = ["password-policy"]
    for n in range(count - len(ROLE_ACCOUNTS)):
        account = {"name": f"app-{n:04d}", "id": f"{700000000000 + n:012d}", "role": "workload", "unit": _workload_unit(n)}
        if n % 5 == 4 and len(regions) > 1:
            account["regions"] = [HOME_REGION]
        if n % 10 == 9:
            account["adopt"] = ["password-policy", "s3-public-access-block"]
        accounts.append(account)
    return accounts


def _groups(count: int) -> list[dict]:
    groups = [{"name": name, "duty": duty} for name, duty in DUTY_GROUPS[:count]]
    for group in groups:
        if group["duty"] == "operator":
            group["reach"] = ["management", "security", "Infrastructure", "Workloads"]
    for n in range(count - len(DUTY_GROUPS)):
        groups.append({"name": f"App{n:02d}Apps", "duty": "app-developer", "services": list(APP_SERVICES),
                       "resource_prefix": f"app{n:02d}-", "app_tag": f"app{n:02d}", "reach": ["identity", "Workloads"]})
    return groups


def _users(count: int, groups: list[dict]) -> list[dict]:
    names = [g["name"] for g in groups]
    users = []
    for n in range(count):
        member_of = [names[0]] if n < 2 else [names[n % len(names)]]  # two administrators first
        if n % 7 == 3 and len(names) > 1:
            member_of.append(names[(n + 1) % len(names)])
        users.append({"name": f"user.{n:04d}", "given_name": "User", "family_name": f"N{n:04d}",
                      "email": f"user.{n:04d}@synth.example", "groups": sorted(set(member_of), key=names.index)})
    return users


def synthetic_profile(accounts: int, regions: int, job_functions: int = 8, users: int = 40, *,
                      alarm_threshold: int = 1, cost_center: str = "1234") -> dict:
    """The profile as plain data. ``alarm_threshold``: of the custom alarm (the benchmark's small change);
    ``cost_center``: a default tag (a change to every account root)."""
    if accounts < len(ROLE_ACCOUNTS):
        raise ValueError(f"accounts must be at least {len(ROLE_ACCOUNTS)} (one of each role and the identity account)")
    if not 1 <= regions <= len(REGIONS):
        raise ValueError(f"regions must be 1-{len(REGIONS)}")
    if job_functions < 1 or users < 2:
        raise ValueError("at least one job function and two users (the administrators)")
    region_list = list(REGIONS[:regions])
    groups = _groups(job_functions)
    return {
        "version": 1,
        "extends": "cis-1.4",
        "organization": {"name": "synth", "home_region": HOME_REGION, "regions": region_list,
                         "tags": {"Owner": "platform-security", "CostCenter": cost_center}, "id": "o-a1b2c3d4e5",
                         "units": UNITS},
        "accounts": _accounts(accounts, region_list),
        "iam": {"identity_source": "identity-center", "identity_center": {"account": "management"},
                "break_glass": ["breakglass-1", "breakglass-2"], "groups": groups, "users": _users(users, groups)},
        "encryption": {"keys": [{"name": "logs", "services": ["cloudtrail", "cloudwatch-logs", "config", "sns"]}]},
        "logging": {"cloudtrail": {"kms_key": "logs", "cloudwatch_logs": {"retention_days": 365}, "data_events": {"s3": "write"}}},
        "config": {"kms_key": "logs", "global_resources": "home", "rules": {"preset": "cis"}},
        "monitoring": {
            "topic": {"kms_key": "logs", "email": ["security-alerts@synth.example"]},
            "alarms": {"benchmark": "cis-1.4", "custom": [{
                "id": "s3-bucket-deletion", "description": "An S3 bucket was deleted.",
                "pattern": "{ ($.eventSource = s3.amazonaws.com) && ($.eventName = DeleteBucket) }",
                "threshold": alarm_threshold}]},
        },
        "detection": {"guardduty": {"features": ["s3-data-events", "ebs-malware-protection"], "notify_severity": "medium"},
                      "security_hub": {"standards": ["aws-foundational", "cis-1.4"], "configuration": "central",
                                       "configuration_policies": [{
                                           "name": "critical", "apply_to": ["Workloads/Prod/Critical"],
                                           "standards": ["aws-foundational", "cis-1.4", "pci-dss-4.0.1"]}]},
                      "inspector": {"resource_types": ["ec2", "ecr", "lambda"]}},
        "patching": {"operating_systems": ["amazon-linux-2023", "windows"], "production_delay_days": 2},
        "governance": {"service_control_policies": {"restrict_regions": True}, "policies": [
            {"name": "security-services", "type": "scp", "preset": "protect-security-services", "attach": ["root"]},
            {"name": "data-perimeter", "type": "rcp", "preset": "data-perimeter", "attach": ["root"]},
            {"name": "ec2-defaults", "type": "declarative-ec2", "preset": "ec2-secure-defaults", "attach": ["Workloads"]}]},
        "state": {"bucket": "synth-terraform-state"},  # in the management account, like acme-org's
    }


def profile_text(profile: dict) -> str:
    return yaml.safe_dump(profile, sort_keys=False, allow_unicode=True, width=120)


def write_profile(path: Path, accounts: int, regions: int, job_functions: int = 8, users: int = 40, **changes) -> Path:
    path.write_text(profile_text(synthetic_profile(accounts, regions, job_functions, users, **changes)), encoding="utf-8")
    return path
