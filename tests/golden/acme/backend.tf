# Written once by baselinegen and never overwritten: this file is yours.
# Configure where Terraform keeps the state of this baseline, for example:
#
# terraform {
#   backend "s3" {
#     bucket       = "acme-terraform-state"
#     key          = "security-baseline/terraform.tfstate"
#     region       = "ap-northeast-1"
#     encrypt      = true
#     use_lockfile = true
#   }
# }
