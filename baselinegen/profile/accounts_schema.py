"""Schema pieces of an organisation profile: ``accounts``, ``organization.id``, ``organization.deployment_role``,
``organization.keep_service_access`` (checked by components/governance/service_access.py) and ``iam.identity_account``. Cross-reference checks live in ``profile/accounts.py``.

Without ``accounts`` a profile describes one account, as before; the other keys are refused then.
"""

from __future__ import annotations

from .adopt import adopt_rules
from .aws_rules import ACCOUNT_ID_PATTERN, IAM_ROLE

ACCOUNT_ROLES = ("management", "log-archive", "security", "workload")
DEFAULT_DEPLOYMENT_ROLE = "OrganizationAccountAccessRole"

# An account name becomes a folder (accounts/<name>/) and a Terraform identifier. `(?!\n)$`: Python's `$` also
# matches before a final newline, which must not reach a folder name.
ACCOUNT_NAME_RE = r"^[a-z][a-z0-9-]{0,30}[a-z0-9](?!\n)$"
ACCOUNT_NAME_ALLOWED = "2-32 lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen"
ACCOUNT_ID_RE = ACCOUNT_ID_PATTERN
ORGANIZATION_ID_RE = r"^o-[a-z0-9]{10,32}(?!\n)$"  # what AWS Organizations accepts
IAM_ROLE_NAME_RE = IAM_ROLE.pattern  # ASCII only: \w would take any script's letters
# One line: it becomes a comment and a README row, so no control character (C0, DEL, C1) and no Unicode line or
# paragraph separator; any other Unicode text is fine.
ACCOUNT_DESCRIPTION_RE = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]{1,256}(?!\n)$"

_REGION_LIST_NOTE = ("Regions where this account's regional controls run: Regions of organization.regions (E252), each once, "
                     "always with the home Region (E253).")


def _unquoted_account_id(value) -> str:
    """The E112 message of an account id written as a YAML number."""
    if len(str(value)) == 12:
        return f"YAML read the unquoted id as a number; quote it: id: \"{value}\""
    return (f"YAML read the unquoted id as the number {value}, which is not 12 digits (YAML drops leading zeros and "
            "reads digits after a leading 0 as octal); quote the id exactly as AWS shows it, e.g. id: \"012345678901\"")


ACCOUNT_ID = {
    "type": "string",
    "required": True,
    "regex": ACCOUNT_ID_RE,
    "meta": {"description": "The 12-digit AWS account id, quoted (YAML reads unquoted digits as a number and drops leading zeros); unique.",
             "allowed": "exactly 12 digits, quoted, e.g. \"012345678901\"",
             "number_hint": _unquoted_account_id},
}


def accounts_schema(region_rules: dict) -> dict:
    """The ``accounts`` list; ``region_rules`` is the core schema's rule for one Region name."""
    return {
        "type": "list",
        "minlength": 1,
        "meta": {"description": "The organisation's AWS accounts, one root configuration each (README: Organisations).",
                 "default": "none: the profile describes one account"},
        "schema": {"type": "dict", "schema": {
            "name": {"type": "string", "required": True, "regex": ACCOUNT_NAME_RE,
                     "meta": {"description": "Folder accounts/<name>/ and Terraform name of the account; unique.",
                              "allowed": ACCOUNT_NAME_ALLOWED}},
            "id": ACCOUNT_ID,
            "role": {"type": "string", "required": True, "allowed": list(ACCOUNT_ROLES),
                     "meta": {"description": "The account's role: management (the organisation's own resources; exactly one), "
                                             "log-archive (the log buckets; at most one; none: the management account holds them, "
                                             "W427), security (the delegated administrator of the detective services; at most one; "
                                             "none: the management account administers them, W428) or workload (the only accounts "
                                             "patched; none: no patching, W434)."}},
            "regions": {"type": "list", "minlength": 1, "schema": region_rules,
                        "meta": {"description": _REGION_LIST_NOTE, "default": "`organization.regions`"}},
            "description": {"type": "string", "regex": ACCOUNT_DESCRIPTION_RE,
                            "meta": {"description": "What the account is for.",
                                     "allowed": "1-256 characters on one line (no control characters)"}},
            "adopt": adopt_rules("this account (an organisation's accounts only; single account: the top-level adopt)",
                                 # (W20) the security account of an organisation that turned its services on by hand
                                 ["security-hub", "guardduty", {"part": "config", "regions": ["us-east-1"]},
                                  {"part": "access-analyzer", "name": "ConsoleAnalyzer-1a2b"},
                                  {"part": "config-aggregator", "name": "OrgConfigAggregator"},
                                  {"part": "security-hub-aggregator", "name": "1a2b3c4d-0000-4000-8000-0123456789ab"}]),
            "unit": ACCOUNT_UNIT,
            "control_tower": ACCOUNT_CONTROL_TOWER,
            "renamed_from": {"type": "list", "default": [], "schema": {"type": "string"},
                             "meta": {"description": "Former account names, oldest first. The folder and the state key follow the "
                                                     "name, so a rename is a state move (warning W430 says how).",
                                      "allowed": "valid account names (E243) that no account has now (E241), each claimed once "
                                                 "(E242), with Terraform names unlike every current and former one (E244)"}},
        }},
    }


ORGANIZATION_ID = {
    "type": "string",
    "regex": ORGANIZATION_ID_RE,
    "meta": {"description": "With accounts only, and required there (E248, E249): the AWS Organizations id; the log buckets "
                            "accept only this organisation.",
             "allowed": "o- and 10-32 lowercase letters and digits, e.g. o-a1b2c3d4e5"},
}

DEPLOYMENT_ROLE = {
    "type": "string",
    "regex": IAM_ROLE_NAME_RE,
    "meta": {"description": "With accounts only (E249): the IAM role Terraform assumes in each account.",
             "default": f"`{DEFAULT_DEPLOYMENT_ROLE}`",
             "allowed": f"an IAM role name: 1-64 {IAM_ROLE.allowed}"},
}

# AWS Organizations' service principals: DNS labels ending in .amazonaws.com, at most 128 characters
# (EnableAWSServiceAccess), e.g. controltower.amazonaws.com, member.org.stacksets.cloudformation.amazonaws.com.
SERVICE_PRINCIPAL_RE = r"^(?=.{1,128}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+amazonaws\.com(?!\n)$"
KEEP_SERVICE_ACCESS = {
    "type": "list",  # no default: its absence from a profile without accounts stays visible (E278)
    "schema": {"type": "string"},
    "meta": {"description": "With accounts only (E278): trusted-access service principals other tools rely on, e.g. AWS Control "
                            "Tower's controltower.amazonaws.com or IAM Identity Center's sso.amazonaws.com. The management root "
                            "manages the organisation's trusted access (aws_service_access_principals): every principal the "
                            "baseline's services need plus these; AWS Organizations disables the integration of every other "
                            "service. A principal the baseline enables anyway: warning W443.",
             "default": "none: only the principals the baseline needs",
             "allowed": "service principals <name>.amazonaws.com (E276), each once (E277)"},
}

IDENTITY_ACCOUNT = {
    "type": "string",
    "regex": ACCOUNT_NAME_RE,
    "meta": {"description": "With accounts only, and required there (E248, E249): the account (by name, E254) that holds the "
                            "IAM groups and users; every account gets one role per job function.",
             "allowed": ACCOUNT_NAME_ALLOWED},
}


# --- organization.units and accounts[].unit (issue 21; checked by components/governance/units.py) ---------------------
# An OU name becomes a segment of a unit path ("Workloads/Prod") and a key of the management root's for_each maps: no
# "/", no quote, one line. AWS Organizations allows 1-128 characters.
UNIT_NAME_RE = r"^[A-Za-z0-9]([A-Za-z0-9 ._-]{0,126}[A-Za-z0-9._-])?(?!\n)$"
UNIT_NAME_ALLOWED = "1-128 letters, digits, spaces, dots, hyphens and underscores, starting with a letter or digit"
UNIT_ID_RE = r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}(?!\n)$"  # AWS Organizations' OU id pattern
UNIT_MAX_DEPTH = 5  # AWS Organizations: an OU tree is at most five levels below the root
UNIT_PATH_RE = r"^[A-Za-z0-9][A-Za-z0-9 ./_-]{0,1000}(?!\n)$"


def _unit_rules(level: int) -> dict:
    below = ({"type": "list", "meta": {"description": f"Nothing: AWS Organizations nests units {UNIT_MAX_DEPTH} levels deep at most (E303)."}}
             if level == UNIT_MAX_DEPTH else _units(level + 1))
    return {"type": "dict", "schema": {
        "name": {"type": "string", "required": True, "regex": UNIT_NAME_RE,
                 "meta": {"description": "The OU's name; with its parents' names its path (Workloads/Prod); unique among "
                                         "its siblings (E301); not root (E300).", "allowed": UNIT_NAME_ALLOWED}},
        "id": {"type": "string", "regex": UNIT_ID_RE,
               "meta": {"description": "An OU that already exists: imported by this id (imports.tf of the management root), "
                                       "not created; each id once (E304).", "allowed": "ou-, 4-32 letters or digits, -, 8-32 letters or digits",
                        "default": "none: the management root creates the OU"}},
        "units": below,
    }}


def _units(level: int) -> dict:
    rules = {"type": "list", "schema": _unit_rules(level)}
    if level == 1:
        rules["meta"] = {"description": "With accounts only (E305): the organisational units, nested (units inside units, "
                                        f"at most {UNIT_MAX_DEPTH} levels). The management root creates them (or imports those "
                                        "with an id) and places the accounts (accounts[].unit).",
                         "default": "none: every account at the organisation root"}
    else:
        rules["meta"] = {"description": "The units inside this one (same keys)."}
    return rules


UNITS = _units(1)
ACCOUNT_UNIT = {"type": "string", "regex": UNIT_PATH_RE,
                "meta": {"description": "The unit the account is placed in, by path (Workloads/Prod, E302); never the "
                                        "management account (E306). The management root moves the account there.",
                         "default": "none: the organisation root",
                         "allowed": "a unit path of organization.units: names joined by /"}}


# --- organization.control_tower (issue 20, Control Tower mode; checked by profile/control_tower_checks.py) -------------
CONTROL_TOWER = {
    "type": "boolean",
    "default": False,
    "meta": {"description": "With accounts only (E390): the organisation is governed by AWS Control Tower. Its organisation trail "
                            "aws-controltower-BaselineCloudTrail and its Config recorders record the enrolled accounts: the "
                            "baseline renders no trail, no Config recorder except the management account's (Control Tower "
                            "does not record it), no Config aggregator; the CIS alarms watch Control Tower's log group "
                            "aws-controltower/CloudTrailLogs in the management account; the service control policies exempt "
                            "AWSControlTowerExecution; the organisation keeps Control Tower's trusted access. An account Control "
                            "Tower does not enrol: accounts[].control_tower: false. Needs a "
                            "log-archive and a security (Control Tower's Audit) account (E394); cloudtrail and config (member "
                            "accounts) cannot be adopted (E391, E392); no data events (E393); logging.cloudtrail settings "
                            "have no effect (W444). README: Control Tower mode."},
}
ACCOUNT_CONTROL_TOWER = {
    "type": "boolean",
    "meta": {"description": "Control Tower mode only, never the management account (E395): false for an account Control Tower "
                            "does not enrol (an OU it does not govern): no Control Tower recorder records it, so the baseline "
                            "gives it its own Config recorder. Control Tower's organisation trail records it anyway.",
             "default": "true: Control Tower enrols the account"},
}
