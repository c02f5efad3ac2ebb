"""CI: where the pipeline gets baselinegen, and the identities it plans and applies with (GitHub OIDC roles)."""
