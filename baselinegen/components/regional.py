"""What regional components share: the root passes the profile's Regions to their modules as one list.

Provider v6's per-resource ``region`` argument lets one provider configuration serve every Region:
a regional resource takes ``for_each = var.regions`` and ``region = each.value``. The list lives once,
in the root's ``locals``, so adding a Region changes one line of the output.
"""

from __future__ import annotations

REGIONS_INPUT = ("regions", "local.regions")
REGIONS_LOCAL = "regions"
