"""Meta-tests that keep the component registry honest."""

from __future__ import annotations

from pathlib import Path

from baselinegen.components.registry import REGISTRY
from baselinegen.profile.model import Profile
from baselinegen.profile.schema import CORE_SCHEMA

REPO = Path(__file__).resolve().parent.parent


def test_component_ids_are_unique_and_name_a_profile_field():
    ids = [c.id for c in REGISTRY]
    assert ids == ["iam", "kms", "cloudtrail", "log_archive", "monitoring", "config", "guards", "detection", "patching", "governance", "state", "ci"]
    assert set(ids) <= set(Profile.__dataclass_fields__)


ROOT_COMPONENTS = {"state"}  # renders a root of its own (bootstrap/: no variables.tf), not a module the roots call


def test_every_component_has_a_template_folder_with_the_module_files():
    for component in REGISTRY:
        if component.id in ROOT_COMPONENTS:
            names = {p.name for p in (REPO / "templates" / component.id).iterdir()}
            assert {"main.tf.j2", "providers.tf.j2", "outputs.tf.j2", "backend.tf.j2"} <= names, component.id
            continue
        folder = REPO / "templates" / component.id
        names = {p.name for p in folder.iterdir()}
        assert {"main.tf.j2", "variables.tf.j2", "outputs.tf.j2", "README.md.j2"} <= names, component.id


def test_every_component_contributes_its_own_schema_section():
    sections = [key for c in REGISTRY for key in c.SCHEMA]
    assert sections == ["iam", "encryption", "logging", "monitoring", "config", "encryption", "detection", "patching", "governance", "state", "ci"]
    assert not set(sections) & set(CORE_SCHEMA)
    keys = [key for c in REGISTRY for key in c.SCHEMA.get("encryption", {}).get("schema", {})]
    assert keys == ["keys", "ebs_default_encryption", "ebs_default_key", "s3_block_public_access", "close_default_security_groups"]  # shared section, distinct keys


ORGANIZATION_ONLY = {"governance", "log_archive"}  # modules rendered only for a profile with accounts


def test_the_rendered_readme_links_every_module(rendered_example):
    readme = (rendered_example / "README.md").read_text()
    for component in REGISTRY:
        link = f"[`{component.id}`](modules/{component.id}/README.md)"
        assert (link in readme) is (component.id not in ORGANIZATION_ONLY | ROOT_COMPONENTS), component.id
