"""Monitoring: CIS metric filters and alarms, the alarm topic."""
