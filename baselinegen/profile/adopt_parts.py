"""The one table of baseline parts that ``adopt`` can import: for each, the module that renders it, the resources
inside that module with their import ids, whether it is regional, which accounts of an organisation render it, and
the pages of the aws provider 6.x documentation whose Import sections give the ids.

An import id is a template of literal text and tokens that organization/imports.py fills per root and Region:
``<account id>`` (the account's id; a single account reads it at plan time), ``<detector id>`` (GuardDuty's detector,
only known in AWS: read at plan time from the ``aws_guardduty_detector`` data source of that Region), ``<name>`` (the
adopt entry's ``name``, else the name the baseline gives the resource), ``<resource types>`` (Inspector's resource
types, sorted, joined by ``:``), ``<partition>``, ``<home region>``, ``<channel>`` (the entry's ``delivery_channel``, else ``default``) and
``<administrator id>`` (the account that administers the security services: the security account, else the
management account itself). A regional resource is placed with the
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
CHANNEL = "<channel>"
ADMINISTRATOR_ID = "<administrator id>"

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
    # MANAGEMENT parts that register the administrator: (module, resources) when the management account administers
    # the services itself (no security account); ("", ()): nothing is registered then
    itself: tuple[str, tuple[tuple[str, str], ...]] = ("", ())


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
    # The recorder, its delivery channel (one per Region) and its recording status. The recorder and the status are
    # imported by the recorder's name, the channel by its own; both default to "default" (the names AWS Config's
    # console gives them); an entry's ``name`` / ``delivery_channel`` keep another tool's names (the module's
    # recorder_names / delivery_channel_names inputs), since a new name would replace them.
    Part("config", "AWS Config recorder", ("config", "config"),
         (("aws_config_configuration_recorder.this", NAME), ("aws_config_delivery_channel.this", CHANNEL),
          ("aws_config_configuration_recorder_status.this", NAME)), True,
         _docs("config_configuration_recorder", "config_delivery_channel", "config_configuration_recorder_status"),
         named="the existing recorder's name"),
    # AWS Config's service-linked role (one per account), which the console creates when it turns Config on: a second
    # CreateServiceLinkedRole fails ("has been taken"). Separate from config: a recorder set up with a role of its own
    # (Control Tower's, another tool's) leaves no such role to import.
    Part("config-service-role", "AWS Config service-linked role", ("config", "config"),
         (("aws_iam_service_linked_role.config",
           f"arn:{PARTITION}:iam::{ACCOUNT_ID}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"),), False,
         _docs("iam_service_linked_role")),
    # The detector only: its protection plans (aws_guardduty_detector_feature) have no import; the provider sets each
    # one on the existing detector (UpdateDetector), which creates nothing.
    Part("guardduty", "GuardDuty detector", ("detection", "detection"), (("aws_guardduty_detector.this", DETECTOR_ID),), True,
         _docs("guardduty_detector"), ADMINISTRATOR),
    # The provider parses only the id's account ids and reads the activated types from AWS (inspector2/enabler.go,
    # resourceEnablerRead @088e0878): an activation with other types imports; the plan then sets the profile's.
    Part("inspector", "Amazon Inspector activation", ("detection", "detection"),
         (("aws_inspector2_enabler.this", f"{ACCOUNT_ID}-{RESOURCE_TYPES}"),), True, _docs("inspector2_enabler"), ADMINISTRATOR),
    Part("ecr-scanning", "ECR registry scanning configuration", ("detection", "detection"),
         (("aws_ecr_registry_scanning_configuration.this", ACCOUNT_ID),), True, _docs("ecr_registry_scanning_configuration"),
         ADMINISTRATOR, "account_detection"),
    Part("access-analyzer", "IAM Access Analyzer", ("detection", "detection"), (("aws_accessanalyzer_analyzer.this", NAME),), True,
         _docs("accessanalyzer_analyzer"), ADMINISTRATOR, "account_detection", "the existing analyzer's name"),
    # The security account's aggregators, which AWS allows once: an organisation aggregator of AWS Config set up by hand
    # (imported by its name, which the baseline's aggregator then keeps: a new name would replace it) and Security
    # Hub's finding aggregator (one per account: CreateFindingAggregator fails with a second one), imported by its ARN,
    # whose id only AWS knows (`aws securityhub list-finding-aggregators`); both in the home Region.
    Part("config-aggregator", "AWS Config organisation aggregator", ("", "detection"),
         (("aws_config_configuration_aggregator.organization", NAME),), False, _docs("config_configuration_aggregator"),
         ADMINISTRATOR, named="the existing aggregator's name"),
    Part("security-hub-aggregator", "Security Hub finding aggregator", ("detection", "detection"),
         (("aws_securityhub_finding_aggregator.this",
           f"arn:{PARTITION}:securityhub:{HOME_REGION}:{ACCOUNT_ID}:finding-aggregator/{NAME}"),), False,
         _docs("securityhub_finding_aggregator"), ADMINISTRATOR, named="the existing finding aggregator's id (its ARN's end)"),
    Part("cloudtrail", "CloudTrail trail", ("cloudtrail", "cloudtrail"),
         (("aws_cloudtrail.this", f"arn:{PARTITION}:cloudtrail:{HOME_REGION}:{ACCOUNT_ID}:trail/{NAME}"),), False,
         _docs("cloudtrail"), MANAGEMENT, named="the existing trail's name"),
    # Registrations of the security account as the services' delegated administrator, made by hand before the
    # baseline (AWS refuses a second one: "already exists"). The governance module of the management root renders
    # them; without a security account the management account designates itself for GuardDuty, Security Hub and
    # Inspector in its detection module, and nothing is registered through AWS Organizations.
    Part("delegated-administrator", "delegated administrator registration", ("", "governance"),
         ((f'aws_organizations_delegated_administrator.security["{NAME}"]', f"{ADMINISTRATOR_ID}/{NAME}"),), False,
         _docs("organizations_delegated_administrator"), MANAGEMENT, named="the service principal it is registered for"),
    Part("guardduty-administrator", "GuardDuty delegated administrator", ("", "governance"),
         (("aws_guardduty_organization_admin_account.security", ADMINISTRATOR_ID),), True,
         _docs("guardduty_organization_admin_account"), MANAGEMENT,
         itself=("detection", (("aws_guardduty_organization_admin_account.this", ADMINISTRATOR_ID),))),
    Part("security-hub-administrator", "Security Hub delegated administrator", ("", "governance"),
         (("aws_securityhub_organization_admin_account.security", ADMINISTRATOR_ID),), True,
         _docs("securityhub_organization_admin_account"), MANAGEMENT,
         itself=("detection", (("aws_securityhub_organization_admin_account.this", ADMINISTRATOR_ID),))),
    Part("inspector-administrator", "Inspector delegated administrator", ("", "governance"),
         (("aws_inspector2_delegated_admin_account.security", ADMINISTRATOR_ID),), True,
         _docs("inspector2_delegated_admin_account"), MANAGEMENT,
         itself=("detection", (("aws_inspector2_delegated_admin_account.this", ADMINISTRATOR_ID),))),
)}
# Parts whose ``module`` has no single-account entry: they exist only in an organisation.
ORGANISATION_ONLY = tuple(name for name, part in PARTS.items() if not part.module[0])
# A Config recorder AWS Control Tower created and owns in every enrolled account (AWS Control Tower user guide).
CONTROL_TOWER_RECORDER = "aws-controltower-BaselineConfigRecorder"

AGGREGATORS = ("config-aggregator", "security-hub-aggregator")  # the administrator's own: nothing to adopt elsewhere
# Parts the organisation covers without an import block of the account's own (W440 / W441 say why).
ENROLLED = ("guardduty", "inspector", "security-hub")  # a member account's existing detector / activation / hub: enrolled by the administrator
ALWAYS_IMPORTED = "organization"  # the management root imports the organisation whenever organization.id is set
