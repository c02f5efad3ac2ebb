"""A changed SCP or RCP reads statement by statement, each line with its direction (issue 21): a Deny or Allow statement
added or removed, an effect flipped, actions or resources widened or narrowed (wildcards included), a condition added
or removed, a condition's values changed (a negated operator's values exempt, a positive one's match). Unit cases on
statement_direction.py, then through `diff` for a governance.policies file and for the root guardrails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from baselinegen import api
from baselinegen.components.governance.statement_direction import statement_lines
from baselinegen.review import build_review
from conftest import EXAMPLES


def _doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _deny(sid="S", action=("s3:GetObject",), **more):
    return dict({"Sid": sid, "Effect": "Deny", "Action": list(action), "Resource": "*"}, **more)


@pytest.mark.parametrize("old, new, expected", [
    (_doc(), _doc(_deny()), ["Deny statement `S` added (stronger)"]),
    (_doc(_deny()), _doc(), ["Deny statement `S` removed (weaker)"]),
    (_doc(), _doc(dict(_deny(), Effect="Allow")), ["Allow statement `S` added (weaker)"]),
    (_doc(_deny()), _doc(dict(_deny(), Effect="Allow")), ["statement `S` Deny → Allow (weaker)"]),
    (_doc(_deny()), _doc(_deny(action=("s3:*",))), ["statement `S` actions +s3:*, -s3:GetObject (stronger)"]),
    (_doc(_deny(action=("s3:*",))), _doc(_deny(action=("s3:Get*",))), ["statement `S` actions +s3:Get*, -s3:* (weaker)"]),
    (_doc(_deny()), _doc(_deny(action=("kms:Decrypt",))), ["statement `S` actions +kms:Decrypt, -s3:GetObject"]),
    (_doc(dict(_deny(), Effect="Allow")), _doc(dict(_deny(action=("s3:GetObject", "s3:PutObject")), Effect="Allow")),
     ["statement `S` actions +s3:PutObject (weaker)"]),
    (_doc(_deny()), _doc(_deny(Condition={"Bool": {"aws:SecureTransport": "false"}})),
     ["statement `S` condition Bool aws:SecureTransport added (weaker)"]),
    (_doc(_deny(Condition={"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/a"]}})),
     _doc(_deny(Condition={"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/a", "arn:aws:iam::*:role/b"]}})),
     ["statement `S` condition ArnNotLike aws:PrincipalArn +arn:aws:iam::*:role/b (weaker)"]),
    (_doc(_deny(Condition={"StringEquals": {"aws:PrincipalTag/team": ["a"]}})),
     _doc(_deny(Condition={"StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}})),
     ["statement `S` condition StringEquals aws:PrincipalTag/team +b (stronger)"]),
    (_doc(_deny(Condition={"Bool": {"aws:SecureTransport": "false"}})), _doc(_deny(Condition={"Bool": {"aws:SecureTransport": "true"}})),
     ["statement `S` condition Bool aws:SecureTransport +true, -false"]),
    (_doc(_deny(NotAction=["iam:*"], Action=None)), _doc(_deny(NotAction=["iam:*", "sts:*"], Action=None)),
     ["statement `S` actions not covered +sts:* (weaker)"]),
])
def test_each_kind_of_change_reads_with_its_direction(old, new, expected):
    def clean(doc):
        return {"Version": doc["Version"], "Statement": [{k: v for k, v in st.items() if v is not None} for st in doc["Statement"]]}
    assert [phrase for _, phrase in statement_lines(clean(old), clean(new))] == expected


def test_the_region_key_is_left_to_the_region_lines():
    old = _doc(_deny(Condition={"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}}))
    new = _doc(_deny(Condition={"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-west-2"]}}))
    assert statement_lines(old, new) == []


def _tree(folder: Path, change, files=None) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    document = yaml.safe_load((EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8"))
    change(document)
    for name, doc in (files or {}).items():
        (folder / name).write_text(json.dumps(doc), encoding="utf-8")
    path = folder / "org.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


def test_a_policy_file_whose_deny_widens_and_gains_an_exemption_reads_both_ways_per_target(tmp_path):
    def change(d):
        d["governance"]["policies"].append({"name": "no-big", "type": "scp", "file": "big.json", "attach": ["Workloads"]})
    old = _tree(tmp_path / "a", change, {"big.json": _doc(_deny("NoBig", ("ec2:RunInstances",)))})
    new = _tree(tmp_path / "b", change, {"big.json": _doc(_deny("NoBig", ("ec2:RunInstances", "ec2:StartInstances"),
                                                                Condition={"StringNotLike": {"ec2:InstanceType": ["t3.*"]}}))})
    assert [c.text for c in build_review(old, new).summary] == [
        "organisation: SCP acme-no-big on Workloads: statement `NoBig` actions +ec2:StartInstances (stronger)",
        "organisation: SCP acme-no-big on Workloads: statement `NoBig` condition StringNotLike ec2:InstanceType added (weaker)"]


def test_the_root_guardrails_exempting_the_ci_apply_role_read_weaker_statement_by_statement(tmp_path):
    old = _tree(tmp_path / "a", lambda d: d.pop("ci"))
    new = _tree(tmp_path / "b", lambda d: None)
    lines = [c.text for c in build_review(old, new).summary if c.text.startswith("SCP guardrails")]
    assert lines[0] == ("SCP guardrails: statement `ProtectCloudTrail` condition ArnNotLike aws:PrincipalArn "
                        "+arn:aws:iam::*:role/acme-baseline-apply (weaker)")
    assert len(lines) == 5 and all(line.endswith(" (weaker)") for line in lines)
