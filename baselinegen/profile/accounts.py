"""An organisation profile's accounts as the model holds them, and the render path's guard.

Rendering an organisation (``accounts/<name>/`` root configurations) is the next step of issue 6; until it lands,
:func:`require_single_account` stops every render of a profile with ``accounts`` (validation works).
"""

from __future__ import annotations

from ..errors import UserError
from .accounts_schema import DEFAULT_DEPLOYMENT_ROLE
from .model import Account, Organization, Profile


def build_organization(data: dict) -> Organization:
    """The ``organization`` section and the accounts of a validated, normalised profile."""
    org = data["organization"]
    return Organization(
        name=org["name"], home_region=org["home_region"], regions=tuple(sorted(org["regions"])),
        tags=tuple(sorted(org["tags"].items())), id=org.get("id"),
        deployment_role=org.get("deployment_role", DEFAULT_DEPLOYMENT_ROLE),
        accounts=tuple(
            Account(name=a["name"], id=a["id"], role=a["role"], regions=tuple(sorted(a.get("regions", org["regions"]))),
                    description=a.get("description", ""), renamed_from=tuple(a["renamed_from"]))
            for a in data.get("accounts", ())
        ),
    )


def require_single_account(profile: Profile) -> None:
    """Raise a UserError for a profile with ``accounts``: its organisation layout cannot be rendered yet."""
    if profile.organization.accounts:
        raise UserError(f"{profile.source}: accounts: rendering an organisation layout (one root configuration per account "
                        "under accounts/) is not available in this version of baselinegen; `baselinegen validate` checks the "
                        "profile. Nothing was written")
