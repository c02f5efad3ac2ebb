"""The ``iam`` section of the profile: its schema (the checks across keys are in ``checks``)."""

from __future__ import annotations

from ...profile.accounts_schema import IDENTITY_ACCOUNT
from ...profile.aws_rules import EMAIL_RE, ACTION_PATTERN, CONDITION_KEY_PATTERN, IAM_GROUP, IAM_USER, TAG_RULES
from .policies import DUTIES
from .services import SERVICES
from ..renames import RENAMED_FROM, tf_name_kind

IAM_GROUP_NAME_RE = IAM_GROUP.pattern
IAM_USER_NAME_RE = IAM_USER.pattern
POLICY_ARN_RE = r"^arn:aws(-cn|-us-gov)?:iam::(aws|[0-9]{12}):policy/([A-Za-z0-9_+=,.@-]+/)*[A-Za-z0-9_+=,.@-]{1,128}$"
ACTION_RE = ACTION_PATTERN
# A resource: * or text after arn: without spaces or control characters; profile/aws_checks.py checks its fields (E121).
RESOURCE_RE = r"^(\*|arn:[^\s\x00-\x1f\x7f]+)$"
SID_RE = r"^[A-Za-z0-9]{1,100}$"
PREFIX_RE = r"^[a-z0-9][a-z0-9._-]{0,62}$"
# What IAM accepts in a policy description: the rule group descriptions keep from when they were policy descriptions.
POLICY_DESCRIPTION_RE = r"^[\t\n\r\x20-\x7e\xa1-\xff]*$"

_NAME_ALLOWED = IAM_USER.allowed
PERSON_NAME_RE = r"^[^\x00-\x1f\x7f]{1,128}(?!\n)$"
IDP_GROUP_RE = r"^[^\x00-\x1f\x7f]{1,1024}(?!\n)$"
SESSION_DURATION_RE = r"^PT([1-9]|1[0-2])H(?!\n)$"
RELAY_STATE_RE = r"^https://[!-~]{1,232}(?!\n)$"

STATEMENT = {
    "type": "dict",
    "schema": {
        "sid": {"type": "string", "required": True, "regex": SID_RE,
                "meta": {"description": "Statement id, unique in its policy.", "allowed": "1-100 letters and digits"}},
        "effect": {"type": "string", "allowed": ["Allow", "Deny"], "default": "Allow",
                   "meta": {"description": "Whether the statement allows or denies the actions."}},
        "actions": {"type": "list", "minlength": 1, "required": True, "meta": {"description": "The IAM actions."},
                    "schema": {"type": "string", "regex": ACTION_RE,
                               "meta": {"allowed": "service:Action, wildcards * and ? allowed in the action, e.g. s3:GetObject"}}},
        "resources": {"type": "list", "minlength": 1, "required": True, "meta": {"description": "Resources the actions apply to: * or ARNs with a known partition, a service, an empty or "
                                                                                   "Region-shaped region and an empty, 12-digit or aws account (E121)."},
                      "schema": {"type": "string", "regex": RESOURCE_RE,
                                 "meta": {"allowed": "an ARN (may contain * and the tokens <partition> and <account>) or *"}}},
        "conditions": {
            "type": "list",
            "default": [],
            "meta": {"description": "Conditions; the statement applies only when every one holds."},
            "schema": {"type": "dict", "schema": {
                "test": {"type": "string", "required": True,
                         "meta": {"description": "The condition operator (E122).",
                                  "allowed": "an IAM condition operator such as StringEquals or ForAnyValue:StringLikeIfExists"}},
                "variable": {"type": "string", "required": True, "regex": CONDITION_KEY_PATTERN,
                             "meta": {"description": "The condition key.", "allowed": "a condition key such as aws:RequestedRegion"}},
                "values": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "string"},
                           "meta": {"description": "Values the key is compared with; one match is enough."}},
            }},
        },
    },
}


def _character_class(what: str) -> dict:
    return {"type": "boolean", "default": True,
            "meta": {"description": f"Passwords must contain {what} (CIS 1.5-1.8 in v1.2.0); false: warning W401."}}


POLICY_ARNS = {
    "type": "list",
    "default": [],
    "schema": {"type": "string", "regex": POLICY_ARN_RE,
               "meta": {"allowed": "an IAM policy ARN, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess"}},
}

# The reference's example of a custom group's statements (docs/profile.md): what the example profiles do not show.
CUSTOM_STATEMENTS_EXAMPLE = [{
    "sid": "ReadBillingReports",
    "actions": ["s3:GetObject", "s3:ListBucket"],
    "resources": ["arn:<partition>:s3:::acme-billing-reports", "arn:<partition>:s3:::acme-billing-reports/*"],
    "conditions": [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["true"]}],
}]

SCHEMA = {
    "iam": {
        "type": "dict",
        "default": {},
        "meta": {"description": "Password policy, MFA, groups per job function, users."},
        "schema": {
            "password_policy": {
                "type": "dict",
                "default": {},
                "meta": {"description": "Account password policy (defaults: 14 characters, every character class, 24 remembered, no expiry)."},
                "schema": {
                    "minimum_length": {"type": "integer", "min": 6, "max": 128, "default": 14,
                                       "meta": {"description": "Minimum password length (CIS 1.8); below 14: warning W401."}},
                    "require_uppercase": _character_class("an uppercase letter"),
                    "require_lowercase": _character_class("a lowercase letter"),
                    "require_numbers": _character_class("a number"),
                    "require_symbols": _character_class("a symbol"),
                    "allow_users_to_change": {"type": "boolean", "default": True,
                                              "meta": {"description": "Users may change their own password."}},
                    "hard_expiry": {"type": "boolean", "default": False,
                                    "meta": {"description": "An expired password can only be reset by an administrator; only used with max_age."}},
                    "max_age": {"type": "integer", "min": 1, "max": 1095, "nullable": True, "default": None,
                                "meta": {"description": "Days until a password expires; null = never."}},
                    "reuse_prevention": {"type": "integer", "min": 1, "max": 24, "default": 24,
                                         "meta": {"description": "Number of previous passwords that cannot be used again (CIS 1.9); below 24: "
                                                                 "warning W401 (Security Hub IAM.16 fails on any other value)."}},
                },
            },
            "mfa": {
                "type": "dict",
                "default": {},
                "meta": {"description": "Multi-factor authentication of people."},
                "schema": {
                    "require_for_console": {"type": "boolean", "default": True,
                                            "meta": {"description": "Attach the deny-unless-MFA policy to every human group (CIS 1.10); "
                                                                    "false: warning W403."}},
                },
            },
            "groups": {
                "type": "list",
                "default": [],
                "meta": {"description": "One IAM group per job function."},
                "schema": {"type": "dict", "schema": {
                    "name": {"type": "string", "required": True, "regex": IAM_GROUP_NAME_RE,
                             "meta": {"description": "The IAM group name, unique (IAM names are case-insensitive).",
                                      "allowed": f"1-128 {_NAME_ALLOWED}"}},
                    "duty": {"type": "string", "required": True, "allowed": list(DUTIES),
                             "meta": {"description": "The job function: what the group's policies allow (README: Job functions)."}},
                    "description": {"type": "string", "maxlength": 1000, "regex": POLICY_DESCRIPTION_RE,
                                    "meta": {"description": "What the group is for, shown in the iam module's README. Not in the policies: IAM "
                                                            "cannot change a policy's description, so a wording change would replace them; "
                                                            "their descriptions say the group's name and duty.",
                                             "allowed": "up to 1000 printable Latin-1 characters, tabs and newlines (what IAM accepts in policy descriptions)"}},
                    "services": {"type": "list", "schema": {"type": "string", "allowed": sorted(SERVICES)},
                                 "meta": {"description": "For app-developer groups only, and required there (E204, E205): the services "
                                                         "the app uses, from baselinegen's catalog."}},
                    "resource_prefix": {"type": "string", "regex": PREFIX_RE,
                                        "meta": {"description": "For app-developer groups only, and required there (E204, E205): the "
                                                                "name prefix of the app's resources, which scopes every action.",
                                                 "allowed": "1-63 lowercase letters, digits and . _ -, starting with a letter or digit"}},
                    "app_tag": {"type": "string", "regex": r"^[\w.:/=+@-]{1,256}$",
                                "meta": {"description": "For app-developer groups only (E204): the value of the App tag; adds tag "
                                                        "conditions on top of the prefix.",
                                         "allowed": "1-256 letters, digits and _ . : / = + - @"}},
                    "managed_policy_arns": dict(POLICY_ARNS, meta={"description": "Managed policies attached to the group as well "
                                                                                  "(not for administrator groups, E206); each once."}),
                    "statements": {"type": "list", "default": [], "schema": STATEMENT,
                                   "meta": {"description": "For custom groups only (E206): the statements of the group's own "
                                                           "policy; a custom group needs these or managed_policy_arns.",
                                            "example": CUSTOM_STATEMENTS_EXAMPLE}},
                    "renamed_from": dict(RENAMED_FROM, meta=dict(RENAMED_FROM["meta"], example=["Ops", "Operations"])),
                    "idp_group": {"type": "string", "regex": IDP_GROUP_RE,
                                  "meta": {"description": "identity-center only (E326): the group's display name as your identity "
                                                          "provider provisions it (SCIM); looked up, not created — it must exist "
                                                          "before the apply. Default: the group is created in the Identity Store.",
                                           "allowed": "1-1024 printable characters"}},
                    "session_duration": {"type": "string", "regex": SESSION_DURATION_RE,
                                         "meta": {"description": "identity-center only (E326): how long a session of the permission "
                                                                 "set lasts, ISO 8601. Default by duty: administrator and iam-admin "
                                                                 "PT1H, infra-admin and security-admin PT2H, the others PT4H.",
                                                  "allowed": "PT1H to PT12H"}},
                    "relay_state": {"type": "string", "regex": RELAY_STATE_RE,
                                    "meta": {"description": "identity-center only (E326): the console page a session opens on.",
                                             "allowed": "an https:// URL of at most 240 characters"}},
                    "reach": {"type": "list", "minlength": 1, "schema": {"type": "string"},
                              "meta": {"description": "Organisation only (E321): the accounts where the job function has its role "
                                                      "(iam-users) — root, unit paths of organization.units (the accounts in the unit "
                                                      "and below) or account names (E320), each once (E322), covering at least one "
                                                      "account (E323). Default: every account.",
                                       "allowed": "root, unit paths (Workloads/Prod) and account names",
                                       "example": ["payments-staging"]}},
                }},
            },
            "users": {
                "type": "list",
                "default": [],
                "meta": {"description": "One IAM user per person and per program, never shared; fewer than two members in "
                                        "administrator groups: warning W402."},
                "schema": {"type": "dict", "schema": {
                    "name": {"type": "string", "required": True, "regex": IAM_USER_NAME_RE,
                             "meta": {"description": "The IAM user name, unique (IAM names are case-insensitive).",
                                      "allowed": f"1-64 {_NAME_ALLOWED}"}},
                    "groups": {"type": "list", "default": [], "schema": {"type": "string"},
                               "meta": {"description": "Groups of iam.groups the user belongs to (E203), each once; a programmatic "
                                                       "user joins none while MFA is required (E208).",
                                        "allowed": "names of groups in iam.groups"}},
                    "email": {"type": "string", "regex": EMAIL_RE,
                              "meta": {"description": "identity-center only, and required there (E326, E334): the person's "
                                                      "e-mail address in the Identity Store.",
                                       "allowed": "an e-mail address such as mei.ito@acme.example"}},
                    "given_name": {"type": "string", "regex": PERSON_NAME_RE,
                                   "meta": {"description": "identity-center only, and required there (E326, E334): the "
                                                           "person's given name in the Identity Store.",
                                            "allowed": "1-128 printable characters"}},
                    "family_name": {"type": "string", "regex": PERSON_NAME_RE,
                                    "meta": {"description": "identity-center only, and required there (E326, E334): the "
                                                            "person's family name in the Identity Store.",
                                             "allowed": "1-128 printable characters"}},
                    "programmatic": {"type": "boolean", "default": False,
                                     "meta": {"description": "A program: no console sign-in; may have policies attached directly."}},
                    "managed_policy_arns": dict(POLICY_ARNS, meta={"description": "For programmatic users only (E207): managed "
                                                                                  "policies attached to the user directly; each once."}),
                    "statements": {"type": "list", "default": [], "schema": STATEMENT,
                                   "meta": {"description": "For programmatic users only (E207): the statements of the user's own policy."}},
                    "tags": {"type": "dict", "default": {}, "meta": {"description": "Tags of the IAM user; with organization.tags and ManagedBy at most 50 (E257)."},
                             **TAG_RULES},
                    "renamed_from": RENAMED_FROM,
                }},
            },
            "identity_account": IDENTITY_ACCOUNT,
            "identity_source": {"type": "string", "allowed": ["iam-users", "identity-center"], "default": "iam-users",
                                "meta": {"description": "How people reach the accounts: iam-users (IAM users and groups, job "
                                                        "function roles) or identity-center (IAM Identity Center permission sets "
                                                        "from the same job functions; organisation only, E324; README: Identity Center)."}},
            "break_glass": {"type": "list", "schema": {"type": "string", "regex": IAM_USER_NAME_RE,
                                                       "meta": {"allowed": f"1-64 {_NAME_ALLOWED}"}},
                            "meta": {"description": "identity-center only (E332): the break-glass IAM users of the management "
                                                    "account, at least two (E331), each once (E333): administrators with MFA "
                                                    "enforced, an alarm on every console sign-in; the only IAM users in this mode.",
                                     "example": ["breakglass-1", "breakglass-2"]}},
            "identity_center": {"type": "dict", "schema": {
                "account": {"type": "string", "required": True,
                            "meta": {"description": "The account that administers Identity Center: the management account or "
                                                    "the security account, its delegated administrator (E325).",
                                     "allowed": "the name of the management or the security account"}},
            }, "meta": {"description": "identity-center only, and required there (E324): where Identity Center is administered.",
                        "example": {"account": "management"}}},
        },
    },
}

GROUP_NAMES = tf_name_kind("group", IAM_GROUP_NAME_RE, f"1-128 {_NAME_ALLOWED}", case_insensitive=True)
USER_NAMES = tf_name_kind("user", IAM_USER_NAME_RE, f"1-64 {_NAME_ALLOWED}", case_insensitive=True)
GUARDRAIL_DUTIES = ("infra-admin", "iam-admin")  # groups that carry the guardrails' Deny policy
