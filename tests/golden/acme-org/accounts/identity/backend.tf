# Written once by baselinegen and never overwritten: this file is yours.
# Configure where Terraform keeps the state of account identity (400000000004), one key per account, e.g.:
#
# terraform {
#   backend "s3" {
#     bucket       = "acme-terraform-state"
#     key          = "security-baseline/accounts/identity/terraform.tfstate"
#     region       = "ap-northeast-1"
#     encrypt      = true
#     use_lockfile = true
#   }
# }
