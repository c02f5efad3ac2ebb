"""Patching: Systems Manager patch baselines and maintenance windows."""
