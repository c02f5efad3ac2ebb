"""What the generated workflow needs to plan and apply with the baseline's CI roles (ci.github): the entry account's
role ARNs (literal: from the profile), the branch and environment, and the apply waves."""

from __future__ import annotations

from ...profile.model import Profile
from ...profile.regions import partition_of
from . import policies as cp

ACCOUNT_ID_VARIABLE = "${{ vars.AWS_ACCOUNT_ID }}"  # single account: the profile has no account id; a repository variable


def workflow_ci(profile: Profile, waves: list[tuple[str, list[str]]]) -> dict | None:
    """``waves``: (account role, account names) in apply order (organisation); empty: one apply of the one root."""
    github = profile.ci.github
    if github is None:
        return None
    partition = partition_of(profile.organization.home_region)
    entry = profile.ci.account_id or ACCOUNT_ID_VARIABLE
    plan, apply = cp.role_name(profile, cp.PLAN), cp.role_name(profile, cp.APPLY)
    jobs, needs = [], ["validate" if waves else "fmt-validate", "checkov", "baselinegen-check"]
    for role, accounts in waves or [("", [])]:
        job = f"apply-{role}" if role else "apply"
        title = f"wave {len(jobs) + 1}, {role}" if role else "the account"
        jobs.append({"job": job, "title": title, "needs": needs, "accounts": accounts})
        needs = [job]
    return {"branch": github.branch, "environment": github.environment, "plan_role": plan, "apply_role": apply,
            "plan_role_arn": f"arn:{partition}:iam::{entry}:role/{plan}", "apply_role_arn": f"arn:{partition}:iam::{entry}:role/{apply}",
            "account_id": ACCOUNT_ID_VARIABLE, "waves": jobs}
