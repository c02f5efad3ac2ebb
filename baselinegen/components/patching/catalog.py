"""The operating systems Patch Manager patches, their filter keys and the baseline's default approval rules.

Filter keys per operating system follow Systems Manager's DescribePatchProperties (plus ``SECTION``, which
the PatchFilter reference lists for Ubuntu and Debian). The defaults approve security updates only:

* Windows: ``CLASSIFICATION`` CriticalUpdates, SecurityUpdates with ``MSRC_SEVERITY`` Critical, Important;
* yum/dnf/zypper distributions: ``CLASSIFICATION`` Security with the distribution's two highest
  ``SEVERITY`` values (Oracle Linux rates its advisories Important/Moderate, not Critical);
* Ubuntu and Debian: apt has no classification or severity; the baseline approves packages of the
  security pocket only (``enable_non_security = false``), whatever their ``PRIORITY``. Patch Manager
  knows no release dates for them, so ``approve_after_days`` cannot apply.

Left out: Amazon Linux 1 and CentOS (end of life; CentOS repositories carry no security metadata), macOS
and Raspberry Pi OS (no server fleets).
"""

from __future__ import annotations

from dataclasses import dataclass

RPM_KEYS = ("PRODUCT", "CLASSIFICATION", "SEVERITY")
APT_KEYS = ("PRODUCT", "PRIORITY", "SECTION")
APT_PRIORITIES = ("Required", "Important", "Standard", "Optional", "Extra")
WINDOWS_CLASSIFICATIONS = ("CriticalUpdates", "DefinitionUpdates", "Drivers", "FeaturePacks", "SecurityUpdates",
                           "ServicePacks", "Tools", "UpdateRollups", "Updates", "Upgrades")
MSRC_SEVERITIES = ("Critical", "Important", "Moderate", "Low", "Unspecified")
# Values checked where the documentation fixes them; other keys take the distribution's own values.
KNOWN_VALUES = {"CLASSIFICATION@WINDOWS": WINDOWS_CLASSIFICATIONS, "MSRC_SEVERITY@WINDOWS": MSRC_SEVERITIES,
                "PRIORITY@UBUNTU": APT_PRIORITIES, "PRIORITY@DEBIAN": APT_PRIORITIES}


@dataclass(frozen=True)
class OperatingSystem:
    id: str  # the profile's spelling, also part of resource names
    aws: str  # aws_ssm_patch_baseline.operating_system
    title: str
    filter_keys: tuple[str, ...]
    default_filters: tuple[tuple[str, tuple[str, ...]], ...]
    release_dates: bool = True  # approve_after_days applies (not on Ubuntu and Debian)

    @property
    def windows(self) -> bool:
        return self.aws == "WINDOWS"

    def known_values(self, key: str) -> tuple[str, ...]:
        return KNOWN_VALUES.get(f"{key}@{self.aws}", ())


def _rpm(id_: str, aws: str, title: str, severities=("Critical", "Important")) -> OperatingSystem:
    return OperatingSystem(id_, aws, title, RPM_KEYS, (("CLASSIFICATION", ("Security",)), ("SEVERITY", severities)))


def _apt(id_: str, aws: str, title: str) -> OperatingSystem:
    return OperatingSystem(id_, aws, title, APT_KEYS, (("PRIORITY", APT_PRIORITIES),), release_dates=False)


OPERATING_SYSTEMS = (
    OperatingSystem("windows", "WINDOWS", "Windows Server", ("PATCH_SET", "PRODUCT", "PRODUCT_FAMILY", "CLASSIFICATION", "MSRC_SEVERITY"),
                    (("CLASSIFICATION", ("CriticalUpdates", "SecurityUpdates")), ("MSRC_SEVERITY", ("Critical", "Important")))),
    _rpm("amazon-linux-2", "AMAZON_LINUX_2", "Amazon Linux 2"),
    _rpm("amazon-linux-2023", "AMAZON_LINUX_2023", "Amazon Linux 2023"),
    _rpm("redhat-enterprise-linux", "REDHAT_ENTERPRISE_LINUX", "Red Hat Enterprise Linux"),
    _rpm("rocky-linux", "ROCKY_LINUX", "Rocky Linux"),
    _rpm("alma-linux", "ALMA_LINUX", "AlmaLinux"),
    _rpm("oracle-linux", "ORACLE_LINUX", "Oracle Linux", ("Important", "Moderate")),
    _rpm("suse", "SUSE", "SUSE Linux Enterprise Server"),
    _apt("ubuntu", "UBUNTU", "Ubuntu Server"),
    _apt("debian", "DEBIAN", "Debian Server"),
)
BY_ID = {os.id: os for os in OPERATING_SYSTEMS}
