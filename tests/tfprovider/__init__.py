"""A stand-in ``registry.terraform.io/hashicorp/aws`` provider for the tests: Terraform plugin protocol 6 over gRPC,
serving the typed aws 6.x schema of ``aws-6-typed.json.gz`` and planning, applying and reading without any AWS API
(see README.md). Test support only: not part of the wheel."""
