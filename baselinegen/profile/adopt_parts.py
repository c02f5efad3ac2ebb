"""The one table of baseline parts that ``adopt`` can import: for each, the module that renders it, the resources
inside that module with their import ids, whether it is regional, which accounts of an organisation render it, and
the pages of the aws provider 6.x documentation whose Import sections give the ids.

An import id is a template of literal text and tokens that organization/imports.py fills per root and Region:
``<account id>`` (the account's id; a single account reads it at plan time), ``<detector id>`` (GuardDuty's detector,
only known in AWS: read at plan time from the ``aws_guardduty_detector`` data source of that Region), ``<name>`` (the
adopt entry's ``name``, else the name the baseline gives the resource), ``<resource types>`` (Inspector's resource
types, sorted, joined by ``:``), ``<partition>`` and ``<home region>``. A regional resource is placed with the
per-resource ``region`` argument and imported into its Region with the id suffix ``@<region>`` (provider 6.x guide
"Enhanced Region Support", https://hashicorp.github.io/terraform-provider-aws/enhanced-region-support)."""

from __future__ import annotations

from dataclasses import dataclass

DOCS = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/"
ACCOUNT_ID = "<account id>"
DETECTOR_ID = "<detector id>"
NAME = "<name>"
RESOURCE_TYPES = "<resource types>"
PARTITION = "<partition>"
HOME_REGION = "<home region>"

# Which accounts of an organisation render a part: every account, the administrator of the detective services only
# (the security account, else the management account), or the management account only.
EVERY, ADMINISTRATOR, MANAGEMENT = "every", "administrator", "management"


@dataclass(frozen=True)
class Part:
    name: str
    what: str  # how the review, the messages and the comments name it
    module: tuple[str, str]  # (single-account module, organisation module)
    resources: tuple[tuple[str, str], ...]  # (address inside the module, import id template)
    regional: bool  # each resource is keyed by Region (["<region>"]) and imported with "@<region>"
    source: tuple[str, ...]  # the provider docs pages whose Import sections give the ids
    placement: str = EVERY
    members_module: str = ""  # ADMINISTRATOR parts the other accounts render too, in this module
    named: str = ""  # what ``name`` identifies ("": the part takes no name)


def _docs(*names: str) -> tuple[str, ...]:
    return tuple(f"{DOCS}{name}#import" for name in names)


PARTS = {p.name: p for p in (
    Part("password-policy", "IAM account password policy", ("iam", "job_roles"),
         (("aws_iam_account_password_policy.this", "iam-account-password-policy"),), False, _docs("iam_account_password_policy")),
    Part("ebs-encryption", "EBS encryption by default", ("guards", "guards"),
         (("aws_ebs_encryption_by_default.this", "default"),), True, _docs("ebs_encryption_by_default")),
    Part("s3-public-access-block", "S3 account Block Public Access", ("guards", "guards"),
         (("aws_s3_account_public_access_block.this", ACCOUNT_ID),), False, _docs("s3_account_public_access_block")),
    Part("security-hub", "Security Hub", ("detection", "detection"), (("aws_securityhub_account.this", ACCOUNT_ID),), True,
         _docs("securityhub_account"), ADMINISTRATOR),
    # The recorder, its delivery channel (one per Region) and its recording status, each named "default" (the name
    # AWS Config's console gives them and the baseline's module renders).
    Part("config", "AWS Config recorder", ("config", "config"),
         (("aws_config_configuration_recorder.this", "default"), ("aws_config_delivery_channel.this", "default"),
          ("aws_config_configuration_recorder_status.this", "default")), True,
         _docs("config_configuration_recorder", "config_delivery_channel", "config_configuration_recorder_status")),
    # The detector only: its protection plans (aws_guardduty_detector_feature) have no import; the provider sets each
    # one on the existing detector (UpdateDetector), which creates nothing.
    Part("guardduty", "GuardDuty detector", ("detection", "detection"), (("aws_guardduty_detector.this", DETECTOR_ID),), True,
         _docs("guardduty_detector"), ADMINISTRATOR),
    Part("inspector", "Amazon Inspector activation", ("detection", "detection"),
         (("aws_inspector2_enabler.this", f"{ACCOUNT_ID}-{RESOURCE_TYPES}"),), True, _docs("inspector2_enabler"), ADMINISTRATOR),
    Part("ecr-scanning", "ECR registry scanning configuration", ("detection", "detection"),
         (("aws_ecr_registry_scanning_configuration.this", ACCOUNT_ID),), True, _docs("ecr_registry_scanning_configuration"),
         ADMINISTRATOR, "account_detection"),
    Part("access-analyzer", "IAM Access Analyzer", ("detection", "detection"), (("aws_accessanalyzer_analyzer.this", NAME),), True,
         _docs("accessanalyzer_analyzer"), ADMINISTRATOR, "account_detection", "the existing analyzer's name"),
    Part("cloudtrail", "CloudTrail trail", ("cloudtrail", "cloudtrail"),
         (("aws_cloudtrail.this", f"arn:{PARTITION}:cloudtrail:{HOME_REGION}:{ACCOUNT_ID}:trail/{NAME}"),), False,
         _docs("cloudtrail"), MANAGEMENT, named="the existing trail's name"),
)}

# Parts the organisation covers without an import block of the account's own (W440 / W441 say why).
ENROLLED = ("guardduty", "inspector", "security-hub")  # a member account's existing detector / activation / hub: enrolled by the administrator
ALWAYS_IMPORTED = "organization"  # the management root imports the organisation whenever organization.id is set
