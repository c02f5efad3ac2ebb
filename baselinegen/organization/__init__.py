"""The organisation layout (a profile with ``accounts``): shared ``modules/`` rendered once, one root configuration
per account under ``accounts/<name>/``, and what runs them at scale (``atlantis.yaml``, the Actions matrix)."""

from .layout import APPLY_ORDER, AccountRoot, account_roots, accounts_by_module, apply_waves, called, module_entry, readme_rows
from .roots import organization_files

__all__ = ["APPLY_ORDER", "AccountRoot", "account_roots", "accounts_by_module", "apply_waves", "called", "module_entry", "organization_files", "readme_rows"]
