"""The components, in the order their modules appear in the generated repository."""

from .cloudtrail import COMPONENT as CLOUDTRAIL
from .iam import COMPONENT as IAM
from .kms import COMPONENT as KMS
from .monitoring import COMPONENT as MONITORING

REGISTRY = (IAM, KMS, CLOUDTRAIL, MONITORING)

__all__ = ["REGISTRY"]
