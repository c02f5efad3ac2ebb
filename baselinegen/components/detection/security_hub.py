"""Security Hub standards the profile can name, with the ARN ``aws_securityhub_standards_subscription`` needs.

ARNs from the provider documentation's table (reference §5). CIS 1.2.0 is the odd one: a ``ruleset/`` ARN
without a Region. CIS 5.0.0 is not in that table: its ARN is the form public Terraform uses (the regional
``standards/`` form of v1.4.0 and v3.0.0, reference §5); ``aws securityhub describe-standards`` confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Standard:
    id: str  # the profile's name for it
    title: str
    path: str  # the part after "securityhub:<region>::" (or after "securityhub:::" for rulesets)
    regional: bool = True  # False: the ARN has no Region (ruleset/)

    def arn_template(self) -> str:
        """The ARN with ``${partition}`` and ``${region}`` left for Terraform to fill in."""
        region = "${each.value.region}" if self.regional else ""
        return f"arn:${{local.partition}}:securityhub:{region}::{self.path}"


STANDARDS = (
    Standard("aws-foundational", "AWS Foundational Security Best Practices v1.0.0", "standards/aws-foundational-security-best-practices/v/1.0.0"),
    Standard("aws-resource-tagging", "AWS Resource Tagging Standard v1.0.0", "standards/aws-resource-tagging-standard/v/1.0.0"),
    Standard("cis-1.2", "CIS AWS Foundations Benchmark v1.2.0", "ruleset/cis-aws-foundations-benchmark/v/1.2.0", regional=False),
    Standard("cis-1.4", "CIS AWS Foundations Benchmark v1.4.0", "standards/cis-aws-foundations-benchmark/v/1.4.0"),
    Standard("cis-3.0", "CIS AWS Foundations Benchmark v3.0.0", "standards/cis-aws-foundations-benchmark/v/3.0.0"),
    Standard("cis-5.0", "CIS AWS Foundations Benchmark v5.0.0", "standards/cis-aws-foundations-benchmark/v/5.0.0"),
    Standard("nist-800-53", "NIST SP 800-53 Rev. 5", "standards/nist-800-53/v/5.0.0"),
    Standard("nist-800-171", "NIST SP 800-171 Rev. 2", "standards/nist-800-171/v/2.0.0"),
    Standard("pci-dss-3.2.1", "PCI DSS v3.2.1", "standards/pci-dss/v/3.2.1"),
    Standard("pci-dss-4.0.1", "PCI DSS v4.0.1", "standards/pci-dss/v/4.0.1"),
)

BY_ID = {s.id: s for s in STANDARDS}
# Security controls are named <service>.<number> (IAM.6, EC2.2, CloudTrail.1); consolidated control ids.
CONTROL_ID_RE = r"^[A-Z][A-Za-z0-9]{1,29}\.[1-9][0-9]{0,2}$"
