"""An organisation profile's accounts as the model holds them."""

from __future__ import annotations

from .adopt import entries as adopt_entries
from .accounts_schema import DEFAULT_DEPLOYMENT_ROLE
from .model import Account, Organization


def build_organization(data: dict) -> Organization:
    """The ``organization`` section and the accounts of a validated, normalised profile."""
    org = data["organization"]
    return Organization(
        name=org["name"], home_region=org["home_region"], regions=tuple(sorted(org["regions"])),
        tags=tuple(sorted(org["tags"].items())), id=org.get("id"),
        deployment_role=org.get("deployment_role", DEFAULT_DEPLOYMENT_ROLE),
        accounts=tuple(
            Account(name=a["name"], id=a["id"], role=a["role"], regions=tuple(sorted(a.get("regions", org["regions"]))),
                    description=a.get("description", ""), renamed_from=tuple(a["renamed_from"]),
                    adopt=adopt_entries(a.get("adopt")), control_tower=a.get("control_tower", True))
            for a in data.get("accounts", ())
        ),
        control_tower=bool(org.get("control_tower")) and bool(data.get("accounts")),
    )
