"""How a CIS AWS Foundations Benchmark control id moves between versions (the crosswalk): v3.0.0 -> v5.0.0 ->
v6.0.0 -> v7.0.0. Pure data and arithmetic, imported by the controls report and the generated README.

Sources: reference/cis-aws-foundations.md §2.6 (v3.0.0 -> v5.0.0); for v6.0.0 and v7.0.0 the requirement lists of
prowler's compliance files (`prowler-cloud/prowler` @ 3e000faa3109230b748e4418a13c11c9e59f5cfb, 2026-08-21,
`prowler/compliance/aws/cis_{5.0,6.0,7.0}_aws.json`), compared by requirement text, read 2026-12-05. baselinegen keeps
only the ids and its own titles, not CIS's text.

- v5.0.0: section 1 loses security questions (v3.0.0 1.3), so 1.4-1.22 become 1.3-1.21; EBS 2.2.1 -> 5.1.1; RDS
  2.3.x -> 2.2.x; EFS 2.4.1 -> 2.3.1; networking 5.1-5.6 -> 5.2-5.7.
- v6.0.0 (63 requirements): every section number goes up by one (IAM 2.x, storage 3.x, logging 4.x, monitoring
  5.x, networking 6.x); nothing else changes.
- v7.0.0 (70): drops v6.0.0 2.10 (no access keys at initial setup) and 2.12 (one active key); contact details move
  from 2.1 to 2.2 (2.1.1-2.1.6 are new Organizations items), 2.11 stays, 2.13 -> 2.12 ... 2.21 -> 2.20, full
  "*:*" administrator policies 2.15 -> 2.14; adds 2.1.1-2.1.6, 2.21, 4.10 and 6.8 (``V7_NEW``).
"""

from __future__ import annotations

# v6.0.0 ids whose v7.0.0 id differs (None: not in v7.0.0); every other v6.0.0 id is kept.
_V7_FROM_V6: dict[str, str | None] = {
    "2.1": "2.2", "2.2": "2.3", "2.3": "2.4", "2.4": "2.5", "2.5": "2.6", "2.6": "2.7", "2.7": "2.8", "2.8": "2.9",
    "2.9": "2.10", "2.10": None, "2.12": None, "2.13": "2.12", "2.14": "2.13", "2.15": "2.14", "2.16": "2.15",
    "2.17": "2.16", "2.18": "2.17", "2.19": "2.18", "2.20": "2.19", "2.21": "2.20",
}

# The requirements v7.0.0 adds (id -> baselinegen's title).
V7_NEW: dict[str, str] = {
    "2.1.1": "Root access is centralized in AWS Organizations",
    "2.1.2": "Authorization guardrails (SCPs, RCPs) apply to every account of the organization",
    "2.1.3": "The management account is not used for workloads",
    "2.1.4": "Organizational units are structured by environment and sensitivity",
    "2.1.5": "A delegated administrator manages AWS Organizations policies",
    "2.1.6": "Delegated administrators manage the AWS Organizations-integrated services",
    "2.21": "Resource policies do not allow unrestricted access with Principal \"*\"",
    "4.10": "Access logging is enabled for every AWS-managed web front-end service",
    "6.8": "VPC endpoints are used for access to AWS services",
}

REQUIREMENT_COUNTS = {"cis-5.0": 63, "cis-6.0": 63, "cis-7.0": 70}


def v5_from_v3(control_id: str) -> str | None:
    """The v5.0.0 id of a v3.0.0 control (None: removed in v5.0.0)."""
    parts = control_id.split(".")
    if parts[0] == "1":
        n = int(parts[1])
        return None if n == 3 else control_id if n < 3 else f"1.{n - 1}"
    if control_id == "2.2.1":
        return "5.1.1"
    if parts[0] == "2" and parts[1] in ("3", "4"):
        return f"2.{int(parts[1]) - 1}.{parts[2]}"
    if parts[0] == "5":
        return f"5.{int(parts[1]) + 1}"
    return control_id


def v6_from_v5(control_id: str) -> str:
    section, _, rest = control_id.partition(".")
    return f"{int(section) + 1}.{rest}"


def v7_from_v6(control_id: str) -> str | None:
    return _V7_FROM_V6.get(control_id, control_id)


def later_ids(v50: str | None) -> tuple[str | None, str | None]:
    """(v6.0.0 id, v7.0.0 id) of a v5.0.0 control."""
    if v50 is None:
        return None, None
    v60 = v6_from_v5(v50)
    return v60, v7_from_v6(v60)


def translate(ids: str, benchmark: str) -> str:
    """A README cell of v3.0.0 ids ("1.8, 1.9", "4.x") in ``benchmark``'s numbering ('' when one has no equivalent)."""
    if benchmark == "cis-3.0":
        return ids
    out = []
    for part in (p.strip() for p in ids.split(",")):
        if part.endswith(".x"):
            section = int(part[:-2])
            out.append(part if benchmark == "cis-5.0" else f"{section + 1}.x")
            continue
        found = v5_from_v3(part)
        if found is None:
            return ""
        if benchmark != "cis-5.0":
            v60, v70 = later_ids(found)
            found = v60 if benchmark == "cis-6.0" else v70
            if found is None:
                return ""
        out.append(found)
    return ", ".join(out)
