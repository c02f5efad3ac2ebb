"""Account guards: EBS default encryption, S3 public access block, default security groups."""
