"""Governance: service control policies and delegated administrators."""
