"""The management root of an organisation with a three-level tree, an OU adopted at the third level, a policy file
attached to an account, a tag policy file and the example's tag preset, every preset type, centralised root access
adopted and a policy type kept for another tool, through Terraform and the stand-in provider: validate with no
diagnostic, plan on an empty state (the organisation, root access, the OU and every member account imported), apply,
and plan no change after (issue 21)."""

from __future__ import annotations

import json

import yaml

from baselinegen import api
from conftest import EXAMPLES
from support.terraform_runs import run_root


def test_a_three_level_tree_with_policies_of_every_kind_validates_plans_and_applies(tmp_path, terraform_env, terraform_bin):
    document = yaml.safe_load((EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8"))
    document["organization"]["units"] = [
        {"name": "Security"},
        {"name": "Workloads", "units": [{"name": "Prod", "units": [{"name": "Payments", "id": "ou-ab12-12345678"}]}, {"name": "NonProd"}]}]
    where = {"log-archive": "Security", "security": "Security", "payments-prod": "Workloads/Prod/Payments", "payments-staging": "Workloads/NonProd"}
    for account in document["accounts"]:
        account.pop("unit", None)
        if account["name"] in where:
            account["unit"] = where[account["name"]]
    document["governance"].update(adopt_root_access=True, keep_policy_types=["CHATBOT_POLICY"])
    document["governance"]["policies"] += [
        {"name": "small-instances", "type": "scp", "file": "policies/small.json", "attach": ["payments-staging"]},
        {"name": "cost-center", "type": "tag", "file": "policies/tags.json", "attach": ["Workloads"]},
        {"name": "ai", "type": "ai-opt-out", "preset": "ai-opt-out-all", "attach": ["root"]},
        {"name": "tls", "type": "rcp", "preset": "rcp-tls-only", "attach": ["Workloads/Prod"]},
        {"name": "no-snapshots", "type": "declarative-ec2", "preset": "ec2-block-public-snapshots", "attach": ["Workloads/Prod/Payments"]}]
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "small.json").write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "Small", "Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*",
         "Condition": {"StringNotLike": {"ec2:InstanceType": ["t3.*", "t4g.*"]}}}]}), encoding="utf-8")
    (tmp_path / "policies" / "tags.json").write_text(json.dumps({"tags": {"CostCenter": {"tag_key": {"@@assign": "CostCenter"}}}}),
                                                     encoding="utf-8")
    profile_path = tmp_path / "org.yaml"
    profile_path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    tree = tmp_path / "out"
    for f in api.render_tree(api.load_profile(profile_path).profile).files:
        (tree / f.path).parent.mkdir(parents=True, exist_ok=True)
        (tree / f.path).write_text(f.content, encoding="utf-8")
    run = run_root(terraform_bin, tree, tree / "accounts" / "management", terraform_env)
    assert run.failed is None, run.failed
    assert (run.validate["error_count"], run.validate["warning_count"]) == (0, 0)
    assert run.imported == 8, run.planned  # the organisation, root access, Payments and the five member accounts
    assert run.replan_exit == 0, run.replan_output[-3000:]
