"""Detection: GuardDuty, Security Hub, IAM Access Analyzer, Inspector, ECR scanning."""
