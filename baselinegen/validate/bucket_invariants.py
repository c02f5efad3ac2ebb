"""Invariant helpers shared by the components' checks, and the hardening every log bucket must have."""

from __future__ import annotations

from .hclcheck import resource_bodies, unquote


def prevents_destroy(body: dict) -> bool:
    return any(block.get("prevent_destroy") is True for block in body.get("lifecycle", []))


def policy_statements(parsed, directory: str, document: str) -> list[dict]:
    return resource_bodies(parsed, directory, "data", "aws_iam_policy_document").get(document, {}).get("statement", [])


def bucket_problems(parsed, directory: str) -> list[str]:
    problems = []
    blocks_of = {t: resource_bodies(parsed, directory, "resource", t) for t in (
        "aws_s3_bucket", "aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_versioning", "aws_s3_bucket_policy")}
    flags = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
    for name, bucket in blocks_of["aws_s3_bucket"].items():
        pab = blocks_of["aws_s3_bucket_public_access_block"].get(name, {})
        if any(pab.get(flag) is not True for flag in flags):
            problems.append(f"{directory}: bucket {name} lacks one of the four public access blocks")
        rules = blocks_of["aws_s3_bucket_ownership_controls"].get(name, {}).get("rule", [{}])
        if unquote(rules[0].get("object_ownership")) != "BucketOwnerEnforced":
            problems.append(f"{directory}: bucket {name} does not enforce object ownership")
        versioning = blocks_of["aws_s3_bucket_versioning"].get(name, {}).get("versioning_configuration", [{}])
        if unquote(versioning[0].get("status")) != "Enabled":
            problems.append(f"{directory}: bucket {name} is not versioned")
        if not prevents_destroy(bucket):
            problems.append(f"{directory}: bucket {name} can be destroyed")
        sids = [unquote(st.get("sid")) for st in policy_statements(parsed, directory, f"{name}_bucket")]
        if name not in blocks_of["aws_s3_bucket_policy"] or "DenyInsecureTransport" not in sids:
            problems.append(f"{directory}: bucket {name} has no TLS-only policy")
        if "DenyLogFileDeletion" not in sids:
            problems.append(f"{directory}: bucket {name} lets log files be deleted")
    return problems


def wildcard_allows(statements: list[dict]) -> list[str]:
    """Sids of Allow statements whose principal is anyone ("*")."""
    found = []
    for st in statements:
        if unquote(st.get("effect")) != "Allow":
            continue
        for principal in st.get("principals", []):
            if unquote(principal.get("type")) == "*" or "*" in [unquote(i) for i in principal.get("identifiers", [])]:
                found.append(unquote(st.get("sid")))
    return found
