"""KMS: customer managed keys, aliases and key policies."""
