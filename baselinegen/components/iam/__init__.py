"""IAM: the password policy, MFA, job-function groups and roles, users, the permissions boundary."""
