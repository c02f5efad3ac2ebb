"""The components, in the order their modules appear in the generated repository."""

from .iam import COMPONENT as IAM

REGISTRY = (IAM,)

__all__ = ["REGISTRY"]
