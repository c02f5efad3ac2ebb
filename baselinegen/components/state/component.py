"""State: the S3 backend of every root and the ``bootstrap/`` root that creates its bucket."""

from __future__ import annotations

from ...profile.model import Profile
from ..base import Component, ComponentOutput
from . import schema as ss
from .model import State

MANAGEMENT = "management"


class StateComponent(Component):
    id = "state"
    title = "State: the S3 bucket of every root's Terraform state (bootstrap/)"
    SCHEMA = ss.SCHEMA

    def check(self, data, doc):
        return ss.check(data, doc)

    def build(self, data: dict) -> State:
        state = data.get("state")
        if not state:
            return State()
        accounts = data.get("accounts") or []
        holder = next((a for a in accounts if a["name"] == state.get("account")), None) \
            or next((a for a in accounts if a["role"] == MANAGEMENT), None)
        return State(bucket=state["bucket"], region=state.get("region", data["organization"]["home_region"]),
                     account_name=holder["name"] if holder else "", account_id=holder["id"] if holder else "",
                     kms_key_arn=state.get("kms_key", ""))

    def render(self, profile: Profile) -> ComponentOutput:
        return ComponentOutput()


COMPONENT = StateComponent()
