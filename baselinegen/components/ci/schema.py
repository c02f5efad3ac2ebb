"""The ``ci`` section: the requirement CI installs baselinegen with, and the GitHub repository whose workflows may plan
and apply the baseline (through GitHub's OIDC provider, no stored keys)."""

from __future__ import annotations

from ...errors import Problem
from ...profile.accounts_checks import account_key_problems
from ...profile.accounts_schema import ACCOUNT_NAME_ALLOWED, ACCOUNT_NAME_RE
from ...profile.loader import LoadedDocument, problem_at
from ...version import __version__
from . import requirement

DEFAULT_REQUIREMENT = f"baselinegen=={__version__}"
# GitHub: owner 1-39 letters, digits and single hyphens; repository 1-100 letters, digits, . _ -
GITHUB_REPOSITORY_RE = r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}/(?!\.\.?$)[A-Za-z0-9._-]{1,100}(?!\n)$"
# A git branch or environment name as it appears in the OIDC token's sub claim: no wildcard, no colon, no spaces.
GITHUB_REF_NAME_RE = r"^(?!/)(?!.*//)(?!.*\.\.)[A-Za-z0-9._/-]{1,200}(?<!/)(?<!\.lock)(?!\n)$"
ENVIRONMENT_RE = r"^[A-Za-z0-9._-]{1,255}(?!\n)$"

SCHEMA = {
    "ci": {
        "type": "dict",
        "default": {},
        "meta": {"description": "The pipeline: where it gets baselinegen and, with github, the repository whose workflows plan "
                                "(pull requests) and apply (the protected branch) through roles the baseline creates."},
        "schema": {
            "baselinegen": {"type": "string", "default": DEFAULT_REQUIREMENT,
                            "meta": {"description": "The pip requirement (PEP 508) the workflow and the pre-commit hook install "
                                                    "baselinegen with: a version pin, or a git URL "
                                                    "(baselinegen @ git+https://github.com/acme/baselinegen@v0.2.0), which "
                                                    "pre-commit uses as repo and rev with baselinegen's own hook. Errors: not a "
                                                    "requirement (E266), another project (E267), a git URL without @rev "
                                                    "(E268). Warnings: no version pinned (W437), another version than the "
                                                    "baselinegen that renders (W438).",
                                     "default": f"`{DEFAULT_REQUIREMENT}` (this version)"}},
            "account": {"type": "string", "regex": ACCOUNT_NAME_RE,
                        "meta": {"description": "With accounts only: the account CI enters (GitHub's OIDC provider and the "
                                                "entry roles live there).",
                                 "default": "the account of state.account (the management account)", "allowed": ACCOUNT_NAME_ALLOWED}},
            "github": {"type": "dict", "meta": {"description": "The GitHub repository that holds the generated repository: the baseline then creates "
                                                  "GitHub's OIDC provider and the plan and apply roles, and a programmatic "
                                                  "deploy user is unnecessary (W439)."},
                       "schema": {
                           "repository": {"type": "string", "required": True, "regex": GITHUB_REPOSITORY_RE,
                                          "meta": {"description": "owner/name, exactly (the roles' trust pins it, no wildcard).",
                                                   "allowed": "a GitHub owner and repository name, e.g. acme/landing-zone"}},
                           "branch": {"type": "string", "default": "main", "regex": GITHUB_REF_NAME_RE,
                                      "meta": {"description": "The protected branch applies run from.",
                                               "allowed": "a branch name without wildcards"}},
                           "environment": {"type": "string", "regex": ENVIRONMENT_RE,
                                           "meta": {"description": "A GitHub environment the apply jobs run in; the apply role "
                                                                   "then trusts that environment only.",
                                                    "default": "none: the apply role trusts the branch",
                                                    "allowed": "a GitHub environment name: 1-255 letters, digits, dots, underscores and hyphens"}},
                       }},
        },
    },
}


def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    """``ci.baselinegen`` is a requirement CI can install baselinegen with (E266-E268, W437, W438); ``ci.account``
    names an account of the profile and is refused without accounts (E265); with ci.github, a programmatic user is
    unnecessary (W439)."""
    ci = data.get("ci")
    if not isinstance(ci, dict):
        return []
    problems = _requirement_problems(ci, doc) + (_unnecessary_users(data, doc, ci) if ci.get("github") else [])
    return problems + _account_problems(data, doc, ci) if "account" in ci else problems


def _requirement_problems(ci: dict, doc: LoadedDocument) -> list[Problem]:
    text = ci.get("baselinegen")
    if not isinstance(text, str):
        return []
    try:
        parsed = requirement.parse(text)
    except requirement.RequirementError as exc:
        return [problem_at(doc, ("ci", "baselinegen"), str(exc), exc.code)]
    found = requirement.warning(parsed, __version__)
    return [problem_at(doc, ("ci", "baselinegen"), found[1], found[0], "warning")] if found else []


def _unnecessary_users(data: dict, doc: LoadedDocument, ci: dict) -> list[Problem]:
    name = data["organization"]["name"]
    return [problem_at(doc, ("iam", "users", i), f"programmatic user {user.get('name')!r} is unnecessary: CI deploys through the "
                       f"baseline's OIDC roles ({name}-baseline-plan, {name}-baseline-apply; ci.github), without access keys; "
                       "remove the user (a program outside this pipeline: give it a role of its own)", "W439", "warning")
            for i, user in enumerate((data.get("iam") or {}).get("users") or []) if isinstance(user, dict) and user.get("programmatic")]


def _account_problems(data: dict, doc: LoadedDocument, ci: dict) -> list[Problem]:
    return account_key_problems(data, doc, ("ci", "account"), "E265",
                                "ci.account names the account CI enters in an organisation; a profile without accounts "
                                "describes one account, which CI enters: remove the key")
