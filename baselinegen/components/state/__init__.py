"""State: where Terraform keeps the baseline's state (S3 backend) and the bootstrap root that creates it."""
