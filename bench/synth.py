"""Synthetic organisations for the benchmark: accounts x regions x job functions x users.

The profile is the example organisation (examples/acme-org.yaml) widened: the four accounts of every role
(management, log-archive, security, and the identity account that holds the people) plus workload accounts
``app-NNNN`` up to ``accounts``; ``regions`` Regions (every fifth workload runs in the home Region only); the
five built-in job functions plus app-developer groups up to ``job_functions``; ``users`` people spread over
the groups (two administrators at least). Every other section takes the path acme-org takes.
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


def _accounts(count: int, regions: list[str]) -> list[dict]:
    accounts = [{"name": name, "id": f"{i + 1}{i + 1:011d}", "role": role} for i, (name, role) in enumerate(ROLE_ACCOUNTS)]
    for n in range(count - len(ROLE_ACCOUNTS)):
        account = {"name": f"app-{n:04d}", "id": f"{700000000000 + n:012d}", "role": "workload"}
        if n % 5 == 4 and len(regions) > 1:
            account["regions"] = [HOME_REGION]
        accounts.append(account)
    return accounts


def _groups(count: int) -> list[dict]:
    groups = [{"name": name, "duty": duty} for name, duty in DUTY_GROUPS[:count]]
    for n in range(count - len(DUTY_GROUPS)):
        groups.append({"name": f"App{n:02d}Apps", "duty": "app-developer", "services": list(APP_SERVICES),
                       "resource_prefix": f"app{n:02d}-", "app_tag": f"app{n:02d}"})
    return groups


def _users(count: int, groups: list[dict]) -> list[dict]:
    names = [g["name"] for g in groups]
    users = []
    for n in range(count):
        member_of = [names[0]] if n < 2 else [names[n % len(names)]]  # two administrators first
        if n % 7 == 3 and len(names) > 1:
            member_of.append(names[(n + 1) % len(names)])
        users.append({"name": f"user.{n:04d}", "groups": sorted(set(member_of), key=names.index)})
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
                         "tags": {"Owner": "platform-security", "CostCenter": cost_center}, "id": "o-a1b2c3d4e5"},
        "accounts": _accounts(accounts, region_list),
        "iam": {"identity_account": "identity", "groups": groups, "users": _users(users, groups)},
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
                      "security_hub": {"standards": ["aws-foundational", "cis-1.4"]},
                      "inspector": {"resource_types": ["ec2", "ecr", "lambda"]}},
        "patching": {"operating_systems": ["amazon-linux-2023", "windows"], "production_delay_days": 2},
        "governance": {"service_control_policies": {"restrict_regions": True}},
        "state": {"bucket": "synth-terraform-state"},  # in the management account, like acme-org's
    }


def profile_text(profile: dict) -> str:
    return yaml.safe_dump(profile, sort_keys=False, allow_unicode=True, width=120)


def write_profile(path: Path, accounts: int, regions: int, job_functions: int = 8, users: int = 40, **changes) -> Path:
    path.write_text(profile_text(synthetic_profile(accounts, regions, job_functions, users, **changes)), encoding="utf-8")
    return path
