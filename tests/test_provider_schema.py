"""Tests of the hashicorp/aws 6.x schema validator (tests/support/provider_schema.py)."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support.provider_schema import load_schema, validate_terraform_dir  # noqa: E402


def write(root: Path, relpath: str, text: str) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_for(tmp_path: Path, text: str, relpath: str = "main.tf") -> list[str]:
    write(tmp_path, relpath, text)
    return validate_terraform_dir(tmp_path)


VALID_CONFIG = """
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 6.0" }
  }
}

provider "aws" {
  region = var.region
  alias  = "use1"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

locals {
  admins = toset(["alice", "bob"])
}

module "anything" {
  source      = "./whatever"
  not_checked = true
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

data "aws_iam_policy_document" "kms" {
  statement {
    sid       = "Root"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  dynamic "statement" {
    for_each = var.extra_statements
    iterator = s
    content {
      actions   = s.value.actions
      resources = ["*"]
      dynamic "condition" {
        for_each = s.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_kms_key" "logs" {
  region              = "us-east-1"
  description         = "CloudTrail logs"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.kms.json
  tags                = { Name = "logs" }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_alias" "logs" {
  name          = "alias/logs"
  target_key_id = aws_kms_key.logs.key_id
}

resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_user" "admin" {
  for_each   = local.admins
  name       = each.key
  provider   = aws.use1
  depends_on = [aws_iam_group.admins]

  provisioner "local-exec" {
    command = "echo ${self.name}"
  }

  connection {
    host = "example.com"
  }
}

resource "aws_s3_bucket" "trail" {
  count  = 1
  bucket = "trail-bucket"
}

resource "aws_s3_bucket_versioning" "trail" {
  bucket = aws_s3_bucket.trail[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_guardduty_detector" "this" {
  enable = true
}

resource "aws_guardduty_organization_configuration" "this" {
  detector_id                      = aws_guardduty_detector.this.id
  auto_enable_organization_members = "ALL"
}

resource "aws_default_security_group" "default" {
  vpc_id = "vpc-123"

  # list-of-object argument written with block syntax ("attributes as blocks")
  ingress {
    protocol  = "-1"
    from_port = 0
    to_port   = 0
    self      = true
  }
}

resource "aws_s3_account_public_access_block" "this" {
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "random_id" "suffix" {
  byte_length = 4
  not_an_aws_argument = true
}

output "key_arn" {
  value = aws_kms_key.logs.arn
}

moved {
  from = aws_kms_key.old
  to   = aws_kms_key.logs
}
"""


def test_valid_configuration_has_no_problems(tmp_path):
    assert problems_for(tmp_path, VALID_CONFIG) == []


def test_moved_block_needs_exactly_from_and_to(tmp_path):
    text = """
    moved {
      from = aws_kms_key.old
    }
    moved {
      from = aws_kms_key.old
      to   = aws_kms_key.logs
      why  = "x"
    }
    """
    assert problems_for(tmp_path, text, "modules/kms/migrations.tf") == [
        'modules/kms/migrations.tf: moved block must have exactly the arguments "from" and "to", got [\'from\', \'to\', \'why\']',
        'modules/kms/migrations.tf: moved block must have exactly the arguments "from" and "to", got [\'from\']',
    ]


def test_unknown_argument_is_reported_with_file_and_address(tmp_path):
    text = """
    resource "aws_iam_group" "admins" {
      name = "admins"
      nam  = "typo"
    }
    """
    assert problems_for(tmp_path, text, relpath="modules/iam/main.tf") == [
        'modules/iam/main.tf: resource aws_iam_group.admins: unknown argument "nam"',
    ]


def test_missing_required_argument_is_reported(tmp_path):
    text = """
    resource "aws_iam_group" "admins" {
      path = "/"
    }
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: resource aws_iam_group.admins: missing required argument "name"',
    ]


def test_null_does_not_satisfy_a_required_argument(tmp_path):
    text = """
    resource "aws_iam_group" "admins" {
      name = null
    }
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: resource aws_iam_group.admins: missing required argument "name"',
    ]


def test_computed_only_argument_is_rejected(tmp_path):
    text = """
    resource "aws_iam_group" "admins" {
      name      = "admins"
      unique_id = "AGPA123"
    }
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: resource aws_iam_group.admins: computed-only argument "unique_id" cannot be set',
    ]


def test_unknown_resource_and_data_source_types_are_reported(tmp_path):
    text = """
    resource "aws_iam_groop" "admins" {
      name = "admins"
    }
    data "aws_caller_identty" "me" {}
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: data aws_caller_identty.me: unknown data source type "aws_caller_identty"',
        'main.tf: resource aws_iam_groop.admins: unknown resource type "aws_iam_groop"',
    ]


def test_unknown_nested_block_is_reported(tmp_path):
    text = """
    resource "aws_s3_bucket_versioning" "b" {
      bucket = "b"
      versioning_configuration {
        status = "Enabled"
      }
      versioning_configuraton {
        status = "Enabled"
      }
    }
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: resource aws_s3_bucket_versioning.b: unknown nested block "versioning_configuraton"',
    ]


def test_problems_inside_nested_blocks_use_a_dotted_block_path(tmp_path):
    text = """
    data "aws_iam_policy_document" "mfa" {
      statement {
        efect     = "Deny"
        actions   = ["*"]
        resources = ["*"]
        condition {
          variable = "aws:MultiFactorAuthPresent"
          values   = ["false"]
        }
      }
    }
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: data aws_iam_policy_document.mfa: statement.condition: missing required argument "test"',
        'main.tf: data aws_iam_policy_document.mfa: statement: unknown argument "efect"',
    ]


def test_missing_required_block_is_reported(tmp_path):
    text = """
    resource "aws_s3_bucket_versioning" "b" {
      bucket = "b"
    }
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: resource aws_s3_bucket_versioning.b: missing required block "versioning_configuration"',
    ]


def test_more_blocks_than_max_items_is_reported(tmp_path):
    text = """
    resource "aws_cloudwatch_log_metric_filter" "root_login" {
      name           = "root-login"
      pattern        = "{ $.userIdentity.type = \\"Root\\" }"
      log_group_name = "trail"
      metric_transformation {
        name      = "RootLogin"
        namespace = "CIS"
        value     = "1"
      }
      metric_transformation {
        name      = "RootLogin2"
        namespace = "CIS"
        value     = "1"
      }
    }
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: resource aws_cloudwatch_log_metric_filter.root_login: too many "metric_transformation" blocks: 2 (at most 1)',
    ]


def test_dynamic_block_content_is_validated_as_the_named_block(tmp_path):
    text = """
    data "aws_iam_policy_document" "p" {
      dynamic "statement" {
        for_each = var.statements
        content {
          actions = ["s3:GetObject"]
          effect_ = "Allow"
          dynamic "principals" {
            for_each = [1]
            content {
              type = "AWS"
            }
          }
        }
      }
      dynamic "statment" {
        for_each = var.statements
        content {}
      }
    }
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: data aws_iam_policy_document.p: statement.principals: missing required argument "identifiers"',
        'main.tf: data aws_iam_policy_document.p: statement: unknown argument "effect_"',
        'main.tf: data aws_iam_policy_document.p: unknown nested block "statment"',
    ]


def test_dynamic_block_satisfies_a_required_block(tmp_path):
    text = """
    resource "aws_s3_bucket_versioning" "b" {
      bucket = "b"
      dynamic "versioning_configuration" {
        for_each = [1]
        content {
          status = "Enabled"
        }
      }
    }
    """
    assert problems_for(tmp_path, text) == []


def test_meta_arguments_are_allowed_but_provisioners_only_on_resources(tmp_path):
    text = """
    resource "aws_iam_group" "g" {
      count      = 1
      provider   = aws.other
      depends_on = []
      name       = "g"
      lifecycle {
        ignore_changes = [path]
      }
      provisioner "local-exec" {
        command = "true"
      }
      connection {
        host = "h"
      }
    }
    data "aws_iam_group" "g" {
      for_each   = toset(["a"])
      provider   = aws.other
      depends_on = [aws_iam_group.g]
      group_name = each.key
      lifecycle {
        postcondition {
          condition     = true
          error_message = "x"
        }
      }
      provisioner "local-exec" {
        command = "true"
      }
    }
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: data aws_iam_group.g: unknown nested block "provisioner"',
    ]


def test_region_is_accepted_on_a_regional_resource(tmp_path):
    text = """
    resource "aws_kms_key" "k" {
      region      = "us-east-1"
      description = "replica home"
    }
    """
    assert problems_for(tmp_path, text) == []


def test_region_is_rejected_on_a_global_resource(tmp_path):
    text = """
    resource "aws_iam_group" "admins" {
      region = "us-east-1"
      name   = "admins"
    }
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: resource aws_iam_group.admins: unknown argument "region"',
    ]


def test_region_is_rejected_on_global_data_sources(tmp_path):
    text = """
    data "aws_caller_identity" "c" { region = "eu-west-1" }
    data "aws_partition" "p" { region = "eu-west-1" }
    data "aws_iam_policy_document" "d" { region = "eu-west-1" }
    data "aws_organizations_organization" "o" { region = "eu-west-1" }
    data "aws_region" "r" { region = "eu-west-1" }
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: data aws_caller_identity.c: unknown argument "region"',
        'main.tf: data aws_iam_policy_document.d: unknown argument "region"',
        'main.tf: data aws_organizations_organization.o: unknown argument "region"',
        'main.tf: data aws_partition.p: unknown argument "region"',
    ]


# Enhanced Region Support for the types a security baseline uses
# (website/docs/guides/enhanced-region-support.html.markdown).
REGIONAL_RESOURCES = [
    "aws_kms_key",
    "aws_kms_alias",
    "aws_cloudtrail",
    "aws_cloudwatch_log_group",
    "aws_cloudwatch_log_metric_filter",
    "aws_cloudwatch_metric_alarm",
    "aws_sns_topic",
    "aws_sns_topic_policy",
    "aws_sns_topic_subscription",
    "aws_s3_bucket",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_logging",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_ownership_controls",
    "aws_config_configuration_recorder",
    "aws_config_delivery_channel",
    "aws_config_config_rule",
    "aws_config_configuration_aggregator",
    "aws_guardduty_detector",
    "aws_guardduty_detector_feature",
    "aws_guardduty_organization_configuration",
    "aws_guardduty_organization_admin_account",
    "aws_securityhub_account",
    "aws_securityhub_standards_subscription",
    "aws_securityhub_organization_admin_account",
    "aws_accessanalyzer_analyzer",
    "aws_inspector2_enabler",
    "aws_inspector2_organization_configuration",
    "aws_ecr_registry_scanning_configuration",
    "aws_ebs_encryption_by_default",
    "aws_ebs_default_kms_key",
    "aws_default_security_group",
    "aws_default_vpc",
    "aws_ssm_patch_baseline",
    "aws_ssm_patch_group",
    "aws_ssm_maintenance_window",
    "aws_ssm_maintenance_window_target",
    "aws_ssm_maintenance_window_task",
    "aws_cloudwatch_event_rule",
    "aws_cloudwatch_event_target",
]
GLOBAL_RESOURCES = [
    "aws_iam_role",
    "aws_iam_policy",
    "aws_iam_group",
    "aws_iam_account_password_policy",
    "aws_iam_service_linked_role",
    "aws_s3_account_public_access_block",
    "aws_organizations_organization",
    "aws_organizations_policy",
    "aws_organizations_policy_attachment",
    "aws_organizations_delegated_administrator",
    "aws_account_alternate_contact",
    "aws_account_primary_contact",
]


@pytest.mark.parametrize("type_name", REGIONAL_RESOURCES)
def test_regional_resource_types_accept_region(type_name):
    assert load_schema()["resource_schemas"][type_name]["attributes"]["region"] == "optional"


@pytest.mark.parametrize("type_name", GLOBAL_RESOURCES)
def test_global_resource_types_have_no_region(type_name):
    assert "region" not in load_schema()["resource_schemas"][type_name]["attributes"]


def test_every_iam_and_organizations_type_is_global():
    schema = load_schema()
    for table in ("resource_schemas", "data_source_schemas"):
        for type_name, block in schema[table].items():
            if type_name.startswith(("aws_iam_", "aws_organizations_", "aws_account_")):
                assert "region" not in block["attributes"], (table, type_name)


def test_argument_removed_in_v6_is_rejected(tmp_path):
    text = """
    resource "aws_guardduty_organization_configuration" "org" {
      detector_id = "abc"
      auto_enable = true
    }
    resource "aws_eip" "nat" {
      vpc = true
    }
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: resource aws_eip.nat: unknown argument "vpc"',
        'main.tf: resource aws_guardduty_organization_configuration.org: missing required argument "auto_enable_organization_members"',
        'main.tf: resource aws_guardduty_organization_configuration.org: unknown argument "auto_enable"',
    ]


def test_guardduty_detector_datasources_is_only_deprecated_in_v6(tmp_path):
    text = """
    resource "aws_guardduty_detector" "d" {
      enable = true
      datasources {
        s3_logs {
          enable = true
        }
      }
    }
    """
    assert problems_for(tmp_path, text) == []


def test_s3_bucket_region_became_an_argument_and_bucket_region_is_computed(tmp_path):
    text = """
    resource "aws_s3_bucket" "b" {
      bucket        = "b"
      region        = "eu-central-1"
      bucket_region = "eu-central-1"
    }
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: resource aws_s3_bucket.b: computed-only argument "bucket_region" cannot be set',
    ]


def test_block_and_argument_syntax_mixups_are_reported(tmp_path):
    text = """
    resource "aws_s3_bucket_versioning" "b" {
      bucket                   = "b"
      versioning_configuration = { status = "Enabled" }
    }
    resource "aws_iam_group" "g" {
      name {
        value = "g"
      }
    }
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: resource aws_iam_group.g: "name" is an argument, not a block',
        'main.tf: resource aws_iam_group.g: missing required argument "name"',
        'main.tf: resource aws_s3_bucket_versioning.b: "versioning_configuration" is a block, not an argument',
        'main.tf: resource aws_s3_bucket_versioning.b: missing required block "versioning_configuration"',
    ]


def test_list_of_object_argument_written_as_block_is_checked(tmp_path):
    text = """
    resource "aws_default_security_group" "d" {
      vpc_id = "vpc-1"
      egress {
        protocol  = "-1"
        from_port = 0
        to_port   = 0
        cidr      = "0.0.0.0/0"
      }
    }
    """
    assert problems_for(tmp_path, text) == [
        'main.tf: resource aws_default_security_group.d: egress: unknown argument "cidr"',
    ]


def test_non_provider_blocks_and_other_providers_are_not_checked(tmp_path):
    text = """
    terraform {
      anything = "goes"
    }
    provider "aws" {
      not_a_real_provider_argument = true
    }
    variable "v" {}
    output "o" { value = 1 }
    locals { x = 1 }
    module "m" {
      source = "./m"
      whatever = 1
    }
    import {
      to = aws_iam_group.g
      id = "g"
    }
    removed {
      from = aws_iam_group.old
    }
    check "c" {
      data "aws_nope" "n" {}
      assert {
        condition     = true
        error_message = "x"
      }
    }
    resource "null_resource" "n" {
      triggers = {}
      bogus    = 1
    }
    """
    assert problems_for(tmp_path, text) == []


def test_files_are_found_recursively_and_problems_are_sorted(tmp_path):
    write(tmp_path, "z.tf", 'resource "aws_iam_group" "z" {}\n')
    write(tmp_path, "modules/a/main.tf", 'resource "aws_iam_group" "a" {}\n')
    write(tmp_path, ".terraform/modules/x/main.tf", 'resource "aws_iam_group" "ignored" {}\n')
    write(tmp_path, "notes.txt", 'resource "aws_iam_group" "ignored" {}\n')
    assert validate_terraform_dir(tmp_path) == [
        'modules/a/main.tf: resource aws_iam_group.a: missing required argument "name"',
        'z.tf: resource aws_iam_group.z: missing required argument "name"',
    ]


def test_unparsable_file_is_reported(tmp_path):
    problems = problems_for(tmp_path, 'resource "aws_iam_group" "g" {\n  name =\n}\n', relpath="broken.tf")
    assert len(problems) == 1
    assert problems[0].startswith("broken.tf: cannot parse: ")


def test_schema_artifact_metadata_and_key_types():
    schema = load_schema()
    assert load_schema() is schema  # cached
    assert schema["provider"] == "registry.terraform.io/hashicorp/aws"
    assert schema["target"] == "6.x"
    assert schema["derived_from"] == "5.100.0"
    resources, data_sources = schema["resource_schemas"], schema["data_source_schemas"]
    assert len(resources) > 1400 and len(data_sources) > 550
    for type_name in (
        "aws_cloudtrail",
        "aws_kms_key",
        "aws_iam_role",
        "aws_s3_bucket",
        "aws_guardduty_detector",
        "aws_securityhub_account",
        "aws_config_configuration_recorder",
        "aws_organizations_policy",
    ):
        assert type_name in resources
    for type_name in ("aws_iam_policy_document", "aws_caller_identity", "aws_partition", "aws_region"):
        assert type_name in data_sources
    # removed in 6.0
    assert "aws_opsworks_stack" not in resources
    assert "aws_simpledb_domain" not in resources
    assert "aws_redshift_service_account" not in data_sources
    # shape of a block
    versioning = resources["aws_s3_bucket_versioning"]["blocks"]["versioning_configuration"]
    assert versioning == {
        "nesting": "list",
        "min_items": 1,
        "max_items": 1,
        "block": {"attributes": {"mfa_delete": "optional", "status": "required"}, "blocks": {}},
    }
