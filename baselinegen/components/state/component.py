"""State: the S3 backend of every root and the ``bootstrap/`` root that creates its bucket."""

from __future__ import annotations

from ...profile.model import MANAGED_BY_TAG_KEY, Profile
from ...render import remembered
from ..base import AcceptedFinding, Component, ComponentOutput, Control
from . import bootstrap
from . import schema as ss
from .backend import BOOTSTRAP_DIR, BOOTSTRAP_KEY, backend, required_terraform
from .model import State

MANAGEMENT = "management"


class StateComponent(Component):
    id = "state"
    title = "State: the S3 bucket of every root's Terraform state (bootstrap/)"
    SCHEMA = ss.SCHEMA

    def check(self, data, doc):
        return ss.check(data, doc)

    def build(self, data: dict) -> State:
        state = data.get("state")
        if not state:
            return State()
        accounts = data.get("accounts") or []
        holder = next((a for a in accounts if a["name"] == state.get("account")), None) \
            or next((a for a in accounts if a["role"] == MANAGEMENT), None)
        return State(bucket=state["bucket"], region=state.get("region", data["organization"]["home_region"]),
                     account_name=holder["name"] if holder else "", account_id=holder["id"] if holder else "",
                     kms_key_arn=state.get("kms_key", ""))

    def render(self, profile: Profile) -> ComponentOutput:
        """Nothing without ``state``; else the ``bootstrap/`` root (files, not a module: it runs before every other
        root, in the state account, with state of its own)."""
        if not profile.state.enabled:
            return ComponentOutput()
        org = profile.organization
        common = {"source": profile.source, "org_name": org.name, "state": profile.state,
                  "required_terraform": required_terraform(profile)}
        tags = sorted(dict(org.tags, **{MANAGED_BY_TAG_KEY: "baselinegen"}).items())
        main = bootstrap.main_context(profile)
        files = [
            remembered.file("root/versions.tf.j2", f"{BOOTSTRAP_DIR}/versions.tf", **common),
            remembered.file("state/providers.tf.j2", f"{BOOTSTRAP_DIR}/providers.tf", provider=bootstrap.provider_context(profile),
                            tags=tags, **common),
            remembered.file("state/main.tf.j2", f"{BOOTSTRAP_DIR}/main.tf", **main, **common),
            remembered.file("state/outputs.tf.j2", f"{BOOTSTRAP_DIR}/outputs.tf", create_key=main["create_key"], **common),
            remembered.file("state/backend.tf.j2", f"{BOOTSTRAP_DIR}/backend.tf", backend=backend(profile, BOOTSTRAP_KEY),
                            backend_what="The state of bootstrap/ once its first apply is migrated (README: First apply)", **common),
        ]
        bucket = profile.state.bucket
        where = f"bucket `{bucket}` in `{profile.state.region}`" + (f", account `{profile.state.account_name}`"
                                                                      if profile.state.account_name else "")
        return ComponentOutput(
            files=files,
            accepted_findings=[AcceptedFinding(c, f"{BOOTSTRAP_DIR}:aws_s3_bucket.state", r) for c, r in bootstrap.BUCKET_SKIPS]
            + ([AcceptedFinding(c, f"{BOOTSTRAP_DIR}:data.aws_iam_policy_document.state_key", r)
                for c, r in bootstrap.KEY_POLICY_SKIPS] if main["create_key"] else []),
            controls=[Control("Terraform state encrypted, versioned, TLS-only",
                              f"{where} (`bootstrap/`): SSE-KMS with a bucket key, versioning, former versions kept "
                              f"{bootstrap.NONCURRENT_DAYS} days, TLS-only bucket policy, public access blocked, bucket "
                              "owner enforced, S3-native locking (`use_lockfile`)")],
        )


COMPONENT = StateComponent()
