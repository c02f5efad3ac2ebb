"""CI: the requirement the pipeline installs baselinegen with, GitHub's OIDC provider and the plan/apply roles."""

from __future__ import annotations

from ...profile.model import Profile
from ..base import Component, ComponentOutput
from ..state.component import COMPONENT as STATE
from . import schema as cs
from .model import Ci, GitHub


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

    def render(self, profile: Profile) -> ComponentOutput:
        return ComponentOutput()


COMPONENT = CiComponent()
