"""What a control verdict reads: the rendered tree, the profile (to name the key behind a gap) and the benchmark."""

from __future__ import annotations

from dataclasses import dataclass

from ..profile.model import Profile
from ..profile.regions import AWS_REGIONS, partition_of
from .model import Verdict, covered, partial
from .rendered import SINGLE, Found, RenderedTree, literal, local_entries

# The Regions AWS enables in every new account of the commercial partition (the others are opt-in).
DEFAULT_ENABLED_REGIONS = (
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
    "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
)
_LISTED_ACCOUNTS = 3  # more accounts than this are counted, not named


@dataclass
class Context:
    tree: RenderedTree
    profile: Profile
    benchmark: str

    def found(self, type_: str, where=None) -> list[Found]:
        """The resources of a type, optionally only those whose body satisfies ``where``."""
        return [f for f in self.tree.resources(type_) if where is None or where(f.body)]

    def cite(self, found: list[Found], detail: str = "") -> tuple[str, ...]:
        """Addresses as a report shows them: with the accounts whose roots call the module (organisations)."""
        suffix = f": {detail}" if detail else ""
        return tuple(f"{f.address}{self.scope(f.accounts)}{suffix}" for f in found)

    def scope(self, accounts: tuple[str, ...]) -> str:
        if not self.tree.organization:
            return ""
        if self.tree.every_account(accounts):
            return " (every account)"
        if len(accounts) > _LISTED_ACCOUNTS:
            return f" ({len(accounts)} accounts)"
        return " (" + ", ".join(accounts) + ")"

    def missing_accounts(self, found: list[Found]) -> list[str]:
        """The account roots none of ``found`` is in (never any for a single account that has one)."""
        present = {a for f in found for a in f.accounts}
        return [a for a in self.tree.accounts if a not in present and a != SINGLE] if found or self.tree.organization else []

    def accounts_text(self, accounts: list[str]) -> str:
        if len(accounts) > _LISTED_ACCOUNTS:
            return f"{len(accounts)} accounts ({', '.join(accounts[:_LISTED_ACCOUNTS])}, ...)"
        return ", ".join(accounts)

    def region_gap(self) -> str:
        """What a per-Region control misses: the Regions AWS enables by default that an account's root does not list,
        unless a Region-restricting SCP closes them for that account (never the management account: SCPs do not
        apply to it). components/governance/region_controls.py says what each restriction leaves open."""
        from ..components.governance.region_controls import open_regions

        partition = partition_of(self.profile.organization.home_region)
        enabled = DEFAULT_ENABLED_REGIONS if partition == "aws" else tuple(r for r in AWS_REGIONS if partition_of(r) == partition)
        restricted = open_regions(self.profile) if self.tree.organization else {}
        advice = "add them to organization.regions" + (
            ", or deny them with a Region restriction (governance.service_control_policies.restrict_regions, or preset "
            "restrict-regions in governance.policies)" if self.tree.organization else "")
        if not restricted:
            listed = {r for root in self.tree.roots for r in root.regions}
            unlisted = [r for r in enabled if r not in listed]
            return (f"only in the profile's {len(listed)} Region(s); {len(unlisted)} Region(s) AWS enables by default are not "
                    f"covered ({', '.join(unlisted[:4])}{', ...' if len(unlisted) > 4 else ''}): {advice}") if unlisted else ""
        gaps = {root.account: [r for r in restricted.get(root.account, enabled) if r not in root.regions] for root in self.tree.roots}
        gaps = {account: regions for account, regions in gaps.items() if regions}
        if not gaps:
            return ""
        management = {a.name for a in self.profile.organization.accounts if a.role == "management"}
        parts = [f"{account}: {len(regions)} ({', '.join(regions[:2])}{', ...' if len(regions) > 2 else ''})"
                 + (", the management account, which no service control policy restricts" if account in management else "")
                 for account, regions in sorted(gaps.items())]
        return f"Regions open but not covered, by account: {'; '.join(parts)}: {advice}"

    def everywhere(self, found: list[Found], evidence: tuple[str, ...], detail: str = "", *, absent: str = "not in",
                   accounts: bool = True) -> Verdict:
        """Covered when ``found`` reaches every account root (``accounts``) and every Region; otherwise partial,
        naming the accounts (``absent``: how the detail says they lack it) and the Regions left out."""
        missing = self.missing_accounts(found) if accounts else []
        gap = self.region_gap()
        if missing or gap:
            return partial("; ".join(filter(None, [f"{absent} {self.accounts_text(missing)}" if missing else "", gap])), evidence,
                           "organization.regions" if gap and not missing else "")
        return covered(evidence, detail)

    def config_rules(self, source_identifier: str) -> tuple[str, ...]:
        """Citations of the Config rules with this managed-rule identifier (detective evidence)."""
        hits = [(f, key) for f, key, entry in local_entries(self.tree, "aws_config_config_rule", "rules")
                if literal(entry, "source_identifier") == source_identifier]
        return tuple(f"{f.address}{self.scope(f.accounts)}: Config rule `{key}`" for f, key in hits)

    def config_rule_parameters(self, source_identifier: str) -> list[dict]:
        return [{k: literal(entry.get("parameters", {}), k) for k in entry.get("parameters", {}) if k != "__is_block__"}
                for _, _, entry in local_entries(self.tree, "aws_config_config_rule", "rules")
                if literal(entry, "source_identifier") == source_identifier]
