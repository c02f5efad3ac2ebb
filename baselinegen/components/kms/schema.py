"""The ``encryption`` section: customer managed KMS keys, and the checks other sections use to name them."""

from __future__ import annotations

import difflib

from ...errors import Problem
from ...profile.loader import LoadedDocument, dotted_path, problem_at as _problem
from ...profile.wording import names_in
from ..iam.schema import POLICY_DESCRIPTION_RE
from .grants import SERVICE_GRANTS
from ..renames import RENAMED_FROM, Renamed, renamed_from_problems, tf_name_kind

KEY_NAME_RE = r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$"
KEY_NAME_ALLOWED = "2-32 lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen"
DEFAULT_KEY = "logs"
# Names the kms module gives its former-alias resources (aws_kms_alias.former_alias, .former_alias_replica): a
# key with one of these names would collide with them.
RESERVED_KEY_NAMES = ("former-alias", "former-alias-replica")
KEY_NAMES = tf_name_kind("key", KEY_NAME_RE, KEY_NAME_ALLOWED, reserved=RESERVED_KEY_NAMES)

KEY = {
    "type": "dict",
    "schema": {
        "name": {"type": "string", "required": True, "regex": KEY_NAME_RE,
                 "meta": {"description": "Names the key in the profile, unique; the alias is alias/<organization.name>-<name>.",
                          "allowed": KEY_NAME_ALLOWED}},
        "description": {"type": "string", "maxlength": 8192, "regex": POLICY_DESCRIPTION_RE,
                        "meta": {"description": "The key's description in KMS.", "default": "generated from the services",
                                 "allowed": "printable Latin-1 characters, tabs and newlines"}},
        "services": {"type": "list", "default": [], "schema": {"type": "string", "allowed": sorted(SERVICE_GRANTS)},
                     "meta": {"description": "Services the key policy lets use the key, each once, pinned to this account and to the "
                                             "baseline's resources; sns covers CloudWatch alarms and EventBridge publishing to "
                                             "encrypted topics."}},
        "rotation": {"type": "boolean", "default": True,
                     "meta": {"description": "Automatic rotation of the key material (CIS 3.8 in v1.4.0, 3.6 in v3.0.0); false: warning W404."}},
        "rotation_period_days": {"type": "integer", "min": 90, "max": 2560, "default": 365,
                                 "meta": {"description": "Days between automatic rotations."}},
        "deletion_window_days": {"type": "integer", "min": 7, "max": 30, "default": 30,
                                 "meta": {"description": "Waiting period before a key scheduled for deletion is deleted."}},
        "multi_region": {"type": "boolean", "default": False,
                         "meta": {"description": "A multi-Region primary key in the home Region with a replica in every other Region of organization.regions (needed by encryption.ebs_default_key). Set it when the key is created: an existing key cannot become multi-Region."}},
        "renamed_from": dict(RENAMED_FROM, meta=dict(RENAMED_FROM["meta"], description="Former key names, oldest first: the key "
                                                     "moves and keeps their aliases (README: Renaming); former-alias and "
                                                     "former-alias-replica are reserved (E243).")),
    },
}

SCHEMA = {
    "encryption": {
        "type": "dict",
        "default": {},
        "meta": {"description": "Customer managed KMS keys and the account's encryption guards (EBS default encryption, the "
                                "S3 account public access block, closed default security groups)."},
        "schema": {
            "keys": {
                "type": "list",
                "default": [{"name": DEFAULT_KEY, "services": ["cloudtrail", "cloudwatch-logs", "config", "sns"]}],
                "schema": KEY,
                "meta": {"description": "KMS keys; the default is one key `logs` for the trail, its log group, the Config bucket and the alarm topic."},
            },
        },
    },
}



def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for i, key in enumerate(data["encryption"]["keys"]):
        path = ("encryption", "keys", i)
        if key["name"] in seen:
            problems.append(_problem(doc, path + ("name",), f"duplicate key name {key['name']!r} (same as index {seen[key['name']]})", "E211"))
        seen.setdefault(key["name"], i)
        if key["name"] in RESERVED_KEY_NAMES:
            problems.append(_problem(doc, path + ("name",), f"key name {key['name']!r} is reserved for the aliases renamed keys keep ({', '.join(RESERVED_KEY_NAMES)} cannot be used); choose another name", "E245"))
        for j, service in enumerate(key["services"]):
            if service in key["services"][:j]:
                problems.append(_problem(doc, path + ("services", j), f"service {service!r} is listed twice", "E209"))
        replica_of = key["name"].removesuffix("-replica")
        if replica_of != key["name"] and any(k["name"] == replica_of and k["multi_region"] for k in data["encryption"]["keys"]):
            problems.append(_problem(doc, path + ("name",), f"key name {key['name']!r} is the name of the replica aliases of the "
                                     f"multi-Region key {replica_of!r}; choose another name", "E247"))
        if not key["rotation"]:
            problems.append(_problem(doc, path + ("rotation",), "automatic key rotation is off (CIS 3.8 in v1.4.0, 3.6 in v3.0.0; Security Hub KMS.4)", "W404", "warning"))
    keys = [Renamed(k["name"], k["renamed_from"], ("encryption", "keys", i, "renamed_from")) for i, k in enumerate(data["encryption"]["keys"])]
    return problems + renamed_from_problems(doc, KEY_NAMES, keys)


def key_reference_problems(data: dict, doc: LoadedDocument, path: tuple, name: str, service: str | None, used_for: str) -> list[Problem]:
    """A key named at ``path`` exists in encryption.keys and its policy lets ``service`` use it (None: any key will do)."""
    keys = {k["name"]: (i, k) for i, k in enumerate(data["encryption"]["keys"])}
    written = tuple(path) in doc.value_locations
    what = f"key {name!r}" if written else f"key {name!r} (the default of {dotted_path(path)})"
    if name not in keys:
        close = difflib.get_close_matches(name, list(keys), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        known = names_in(sorted(keys), "encryption.keys") or "none defined"
        return [_problem(doc, path, f"{what} does not exist{hint}; keys defined in encryption.keys: {known}", "E212")]
    index, key = keys[name]
    if service is not None and service not in key["services"]:
        return [_problem(doc, path, f"{what} does not allow {service} to use it, which {used_for} needs; "
                                    f"add {service!r} to encryption.keys[{index}].services", "E213")]
    return []
