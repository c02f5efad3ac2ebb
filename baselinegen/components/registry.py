"""The components, in the order their modules appear in the generated repository."""

from .ci.component import COMPONENT as CI
from .cloudtrail.component import COMPONENT as CLOUDTRAIL
from .config.component import COMPONENT as CONFIG
from .detection.component import COMPONENT as DETECTION
from .governance.component import COMPONENT as GOVERNANCE
from .guards.component import COMPONENT as GUARDS
from .iam.component import COMPONENT as IAM
from .kms.component import COMPONENT as KMS
from .log_archive.component import COMPONENT as LOG_ARCHIVE
from .monitoring.component import COMPONENT as MONITORING
from .patching.component import COMPONENT as PATCHING
from .state.component import COMPONENT as STATE

REGISTRY = (IAM, KMS, CLOUDTRAIL, LOG_ARCHIVE, MONITORING, CONFIG, GUARDS, DETECTION, PATCHING, GOVERNANCE, STATE, CI)
KMS.key_users = REGISTRY  # each key policy grants what the components encrypt with that key
GOVERNANCE.principal_sources = REGISTRY  # the organisation grants the trusted access the services need

__all__ = ["REGISTRY"]
