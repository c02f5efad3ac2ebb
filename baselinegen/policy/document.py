"""IAM policy documents as data: one source for the Terraform rendering and the JSON export.

Resource and principal strings may contain two tokens that stand for values only known at
apply time:

* ``<partition>`` — the AWS partition (``aws``, ``aws-cn``, ``aws-us-gov``);
* ``<account>`` — the id of the account the baseline is applied to.

A condition whose values are exactly ``(REGIONS_TOKEN,)`` stands for the profile's Regions.

The Terraform rendering turns them into ``${local.partition}`` / ``${local.account_id}``; the JSON
export substitutes concrete values. Everything else in a string is literal (IAM policy variables such
as ``${aws:username}`` included: the HCL filters escape them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

PARTITION_TOKEN = "<partition>"
ACCOUNT_TOKEN = "<account>"
# A condition whose only value is this token compares with the profile's Regions: the Terraform
# rendering writes ``var.regions`` (one list in the root configuration), the JSON export the list.
REGIONS_TOKEN = "<regions>"


def arn(service: str, resource: str, *, region: str = "", account: str = ACCOUNT_TOKEN) -> str:
    """An ARN in the current partition, e.g. ``arn(\"iam\", \"policy/x\", region=\"\")``."""
    return f"arn:{PARTITION_TOKEN}:{service}:{region}:{account}:{resource}"


def aws_managed_policy(name: str) -> str:
    """ARN of an AWS managed policy (``AdministratorAccess``, ``job-function/ViewOnlyAccess``, ...)."""
    return f"arn:{PARTITION_TOKEN}:iam::aws:policy/{name}"


@dataclass(frozen=True)
class Condition:
    test: str  # e.g. "StringEquals", "BoolIfExists"
    variable: str  # e.g. "aws:MultiFactorAuthPresent"
    values: tuple[str, ...]


@dataclass(frozen=True)
class Principal:
    type: str  # "AWS", "Service", "Federated" or "*"
    identifiers: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    sid: str
    effect: str = "Allow"
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()
    principals: tuple[Principal, ...] = ()

    def __post_init__(self) -> None:
        if self.effect not in ("Allow", "Deny"):
            raise ValueError(f"statement {self.sid}: effect must be Allow or Deny")
        if bool(self.actions) == bool(self.not_actions):
            raise ValueError(f"statement {self.sid}: exactly one of actions / not_actions")
        if self.resources and self.not_resources:
            raise ValueError(f"statement {self.sid}: at most one of resources / not_resources")
        if not (self.resources or self.not_resources or self.principals):
            raise ValueError(f"statement {self.sid}: resources or not_resources (only a trust policy has neither)")


@dataclass(frozen=True)
class PolicyDocument:
    """A named policy document.

    ``name`` is the IAM policy name (for managed policies) and, converted with ``tf_identifier``,
    the Terraform name of its ``aws_iam_policy_document`` data source.
    """

    name: str
    description: str
    statements: tuple[Statement, ...]
    checkov_skips: tuple[tuple[str, str], ...] = field(default=())  # (check id, reason)

    def __post_init__(self) -> None:
        sids = [s.sid for s in self.statements]
        if len(sids) != len(set(sids)):
            raise ValueError(f"policy {self.name}: duplicate statement ids")


def _substitute(value: str, partition: str, account_id: str) -> str:
    return value.replace(PARTITION_TOKEN, partition).replace(ACCOUNT_TOKEN, account_id)


def uses_regions(document: PolicyDocument) -> bool:
    return any(c.values == (REGIONS_TOKEN,) for st in document.statements for c in st.conditions)


def to_json_policy(document: PolicyDocument, *, partition: str = "aws", account_id: str, regions: tuple[str, ...] = ()) -> dict:
    """The document as the JSON IAM receives (keys in AWS's conventional order)."""
    if uses_regions(document) and not regions:
        raise ValueError(f"policy {document.name}: a condition compares with the profile's Regions; pass regions")

    def one_or_many(values: tuple[str, ...]):
        subs = [_substitute(v, partition, account_id) for v in values]
        return subs[0] if len(subs) == 1 else subs

    statements = []
    for st in document.statements:
        out: dict = {"Sid": st.sid, "Effect": st.effect}
        if st.principals:
            principal: dict = {}
            for p in st.principals:
                if p.type == "*":
                    out["Principal"] = "*"
                    break
                principal[p.type] = one_or_many(p.identifiers)
            else:
                out["Principal"] = principal
        if st.actions:
            out["Action"] = one_or_many(st.actions)
        else:
            out["NotAction"] = one_or_many(st.not_actions)
        if st.resources:
            out["Resource"] = one_or_many(st.resources)
        elif st.not_resources:
            out["NotResource"] = one_or_many(st.not_resources)
        if st.conditions:
            cond: dict = {}
            for c in st.conditions:
                values = tuple(regions) if c.values == (REGIONS_TOKEN,) else c.values
                cond.setdefault(c.test, {})[c.variable] = one_or_many(values)
            out["Condition"] = cond
        statements.append(out)
    return {"Version": "2012-10-17", "Statement": statements}
