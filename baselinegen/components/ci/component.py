"""CI: the requirement the pipeline installs baselinegen with, GitHub's OIDC provider and the plan/apply roles."""

from __future__ import annotations

from ...profile.model import Profile
from ...profile.regions import partition_of
from ..base import EVERY_ACCOUNT, AcceptedFinding, Component, ComponentOutput, Control, ModuleCall, render_module
from ..state.component import COMPONENT as STATE
from . import policies as cp
from . import schema as cs
from .invariants import ci_problems
from .model import Ci, GitHub

MODULE = "ci"
FILES = ("main.tf", "policies.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")


class CiComponent(Component):
    id = "ci"
    title = "CI: GitHub's OIDC provider and the baseline's plan and apply roles"
    SCHEMA = cs.SCHEMA

    def check(self, data, doc):
        return cs.check(data, doc)

    def build(self, data: dict) -> Ci:
        ci = data.get("ci") or {}
        github = ci.get("github")
        accounts = data.get("accounts") or []
        entry = next((a for a in accounts if a["name"] == ci.get("account")), None)
        if entry is None and accounts:
            state = STATE.build(data)
            entry = next((a for a in accounts if a["name"] == state.account_name), None) \
                or next(a for a in accounts if a["role"] == "management")
        return Ci(baselinegen=ci.get("baselinegen", cs.DEFAULT_REQUIREMENT),
                  github=GitHub(github["repository"], github.get("branch", "main"), github.get("environment", "")) if github else None,
                  account_name=entry["name"] if entry else "", account_id=entry["id"] if entry else "")

    def invariants(self, parsed, profile: Profile) -> list[str]:
        return ci_problems(parsed, profile)

    def render(self, profile: Profile) -> ComponentOutput:
        if profile.ci.github is None:
            return ComponentOutput()
        return self._module(profile, inputs=(("github_oidc", "true"),), account_inputs=())

    def render_organization(self, profile: Profile) -> list[ComponentOutput]:
        if profile.ci.github is None:
            return []
        return [self._module(profile, inputs=(), account_inputs=((profile.ci.account_name, (("github_oidc", "true"),)),))]

    def _module(self, profile: Profile, inputs, account_inputs) -> ComponentOutput:
        github, state = profile.ci.github, profile.state
        documents = [cp.trust(profile, cp.PLAN), cp.github_trust(profile, cp.PLAN), cp.plan_read(profile)]
        documents += [cp.plan_state(profile)] if state.enabled else []
        boundary = cp.boundary(profile)
        documents += [cp.trust(profile, cp.APPLY), cp.github_trust(profile, cp.APPLY), cp.apply_manage(profile), boundary]
        documents += [cp.apply_state(profile)] if state.enabled else []
        apply_from = f"the environment {github.environment}" if github.environment else f"the branch {github.branch}"
        context = {
            "source": profile.source, "partition": partition_of(profile.organization.home_region), "github": github,
            "state": state if state.enabled else None, "policies": documents,
            "plan_role": cp.role_name(profile, cp.PLAN), "apply_role": cp.role_name(profile, cp.APPLY),
            "boundary_name": cp.boundary_name(profile), "oidc_url": cp.GITHUB_OIDC_URL, "audience": cp.AUDIENCE,
            "entry_name": profile.ci.account_name, "entry_id": profile.ci.account_id, "apply_from": apply_from,
            "plan_subjects": cp.subjects(profile, cp.PLAN)[1], "apply_subjects": cp.subjects(profile, cp.APPLY)[1],
            "modules": cp.managed_modules(profile), "boundary_services": [s.split(":")[0] for s in boundary.statements[0].actions],
        }
        address = f"module.{MODULE}.data.aws_iam_policy_document"
        findings = sorted((AcceptedFinding(c, f"{address}.{d.name}", r) for d in documents for c, r in d.checkov_skips),
                          key=lambda f: (f.address, f.check_id))
        out = ComponentOutput(module=ModuleCall(MODULE, f"./modules/{MODULE}", inputs=tuple(inputs), account_inputs=tuple(account_inputs)),
                              accepted_findings=findings, placement=EVERY_ACCOUNT)
        out.files += render_module(MODULE, FILES, context)
        out.controls = [Control("CI uses short-lived OIDC credentials; plan read-only",
                                f"GitHub OIDC roles `{context['plan_role']}` (read-only, pull requests) and `{context['apply_role']}` "
                                f"({apply_from}, permissions boundary) in every account; no stored access keys")]
        out.checklist = [_protection_item(github)] + ([] if profile.organization.accounts else [
            "GitHub: set the repository variable `AWS_ACCOUNT_ID` to this account's id; the workflow builds the CI roles' "
            "ARNs from it (the profile has no account id)."])
        return out


def _protection_item(github) -> str:
    """The apply role trusts whatever GitHub lets run in the environment or on the branch: GitHub must guard them."""
    where = (f"give the environment `{github.environment}` required reviewers and limit it to the branch `{github.branch}`"
             if github.environment else f"protect the branch `{github.branch}` (required reviews, no force pushes)")
    return (f"GitHub repository `{github.repository}`: {where}; the CI apply role trusts whatever runs there, and "
            "may create administrator roles (module `ci`, README).")


COMPONENT = CiComponent()
