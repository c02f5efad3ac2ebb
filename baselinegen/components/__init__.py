"""The components, in the order their modules appear in the generated repository."""

from .cloudtrail import COMPONENT as CLOUDTRAIL
from .config import COMPONENT as CONFIG
from .detection import COMPONENT as DETECTION
from .governance import COMPONENT as GOVERNANCE
from .guards import COMPONENT as GUARDS
from .iam import COMPONENT as IAM
from .kms import COMPONENT as KMS
from .log_archive import COMPONENT as LOG_ARCHIVE
from .monitoring import COMPONENT as MONITORING
from .patching import COMPONENT as PATCHING

REGISTRY = (IAM, KMS, CLOUDTRAIL, LOG_ARCHIVE, MONITORING, CONFIG, GUARDS, DETECTION, PATCHING, GOVERNANCE)

__all__ = ["REGISTRY"]
