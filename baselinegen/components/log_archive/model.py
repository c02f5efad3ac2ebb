"""The organisation's log archive as the components read it (derived from the accounts). Frozen and already defaulted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LogArchive:
    """Organisation layout: the account that keeps every account's trail and Config files, and the literal names of
    its buckets (its id in place of ``<account>``). Empty in a single-account baseline, whose buckets belong to the
    cloudtrail and config modules."""

    account_id: str = ""  # the log-archive account (the management account when the profile has none); "" = single account
    account_role: str = ""  # that account's role: log-archive, or management
    management_account_id: str = ""  # where the organisation trail lives
    trail_bucket_name: str = ""
    access_log_bucket_name: str = ""
    config_bucket_name: str = ""
