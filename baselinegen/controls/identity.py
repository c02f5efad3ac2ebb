"""CIS identity and account controls: the password policy, MFA, credentials, IAM policy attachments, Access Analyzer."""

from __future__ import annotations

from .context import Context
from .model import Verdict, covered, manual, not_applicable, off, partial
from .monitoring import root_alarm
from .rendered import Found, literal

_ATTACHMENTS = ("aws_iam_group_policy_attachment", "aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment")
_PASSWORD_KEY = "iam.password_policy"


def _attached(ctx: Context, managed_policy: str) -> list[Found]:
    """Every attachment of the AWS managed policy ``managed_policy`` to a group, role or user."""
    return [f for t in _ATTACHMENTS for f in ctx.found(t) if str(literal(f.body, "policy_arn", "")).endswith(f":policy/{managed_policy}")]


def _password_policy(ctx: Context, check, wanted: str, key: str) -> Verdict:
    """``check(body)`` -> the policy's value when it falls short, None when it meets the control."""
    policies = ctx.found("aws_iam_account_password_policy")
    if not policies:
        return partial("no account password policy is rendered", key=key)
    short = [(p, check(p.body)) for p in policies]
    short = [(p, value) for p, value in short if value is not None]
    if short:
        return partial(f"{key} is {short[0][1]}; CIS asks for {wanted}", ctx.cite(policies), key)
    missing = ctx.missing_accounts(policies)
    if missing:
        return partial(f"no password policy in {ctx.accounts_text(missing)}", ctx.cite(policies))
    return covered(ctx.cite(policies))


def _flag(attribute: str, key: str):
    def check(ctx: Context) -> Verdict:
        return _password_policy(ctx, lambda b: None if b.get(attribute) is True else "false", "true", f"{_PASSWORD_KEY}.{key}")
    return check


password_uppercase = _flag("require_uppercase_characters", "require_uppercase")
password_lowercase = _flag("require_lowercase_characters", "require_lowercase")
password_symbols = _flag("require_symbols", "require_symbols")
password_numbers = _flag("require_numbers", "require_numbers")


def password_length(ctx: Context) -> Verdict:
    return _password_policy(ctx, lambda b: None if (b.get("minimum_password_length") or 0) >= 14 else b.get("minimum_password_length"),
                            "14 or more", f"{_PASSWORD_KEY}.minimum_length")


def password_reuse(ctx: Context) -> Verdict:
    return _password_policy(ctx, lambda b: None if (b.get("password_reuse_prevention") or 0) >= 24 else b.get("password_reuse_prevention", "unset"),
                            "24 (Security Hub IAM.16 fails on any other value)", f"{_PASSWORD_KEY}.reuse_prevention")


def password_expiry(ctx: Context) -> Verdict:
    def check(body):
        age = body.get("max_password_age")
        return None if isinstance(age, int) and 0 < age <= 90 else (age if age is not None else "unset (passwords never expire)")
    return _password_policy(ctx, check, "1 to 90 days", f"{_PASSWORD_KEY}.max_age")


def _permission_sets(ctx: Context) -> list[Found]:
    """identity-center mode: the job functions' permission sets (components/iam/center.py)."""
    return ctx.found("aws_ssoadmin_permission_set")


def _people(ctx: Context) -> list[Found]:
    """IAM users other than the break-glass ones (module break_glass, identity-center mode)."""
    return [f for f in ctx.found("aws_iam_user") if not f.address.startswith("module.break_glass.")]


def mfa_for_console(ctx: Context) -> Verdict:
    if _permission_sets(ctx):
        glass = [f for f in ctx.found("aws_iam_group_policy_attachment") if f.address.startswith("module.break_glass.")]
        return manual("MFA is IAM Identity Center's setting: Settings → Authentication → Multi-factor authentication, "
                      "'Every time they sign in (always-on)', and users without a device register one at sign-in "
                      "(the generated checklist)" + ("; the break-glass users' group denies all but MFA self-service "
                                                     "without MFA" if glass else ""),
                      ctx.cite(_permission_sets(ctx)[:1]) + ctx.cite(glass))
    mfa = [f for f in ctx.found("aws_iam_group_policy_attachment") if str(literal(f.body, "policy_arn", "")).endswith("aws_iam_policy.mfa.arn}")]
    if not mfa:
        if not ctx.profile.iam.require_mfa:
            return off("iam.mfa.require_for_console", "human groups do not require MFA: set iam.mfa.require_for_console: true")
        if not ctx.found("aws_iam_group"):
            return not_applicable("the profile has no IAM groups, so no console users")
        return partial("no group carries the deny-unless-MFA policy")
    return covered(ctx.cite(mfa), "every human group denies all but MFA self-service without MFA; each person enrols a device (manual checklist)")


def no_credentials_created(ctx: Context) -> Verdict:
    created = ctx.found("aws_iam_access_key") + ctx.found("aws_iam_user_login_profile")
    if created:
        return partial("access keys or login profiles are created in Terraform (their secrets end up in the state)", ctx.cite(created))
    return covered((), "by construction: the rendered tree creates no access key and no login profile")


def unused_credentials(ctx: Context) -> Verdict:
    days = 90 if ctx.benchmark == "cis-1.2" else 45
    rules = ctx.config_rules("IAM_USER_UNUSED_CREDENTIALS_CHECK")
    ages = [int(p.get("maxCredentialUsageAge", 0) or 0) for p in ctx.config_rule_parameters("IAM_USER_UNUSED_CREDENTIALS_CHECK")]
    late = f" (the rule allows {max(ages)} days; CIS asks {days})" if ages and max(ages) > days else ""
    return manual(f"disable passwords and access keys unused for {days} days or more{late}", rules)


def one_active_key(ctx: Context) -> Verdict:
    return manual("keep at most one active access key per IAM user (baselinegen creates none)")


def key_rotation(ctx: Context) -> Verdict:
    return manual("rotate every access key within 90 days", ctx.config_rules("ACCESS_KEYS_ROTATED"))


def permissions_through_groups(ctx: Context) -> Verdict:
    direct = ctx.found("aws_iam_user_policy_attachment") + ctx.found("aws_iam_user_policy")
    if direct:
        users = sorted({u.name for u in ctx.profile.iam.users if u.managed_policy_arns or u.statements})
        return partial(f"programmatic user(s) {', '.join(users)} have policies attached directly (iam.users[].managed_policy_arns, "
                       "statements); move them to a group or to a role assumed with OIDC", ctx.cite(direct), "iam.users")
    groups = ctx.found("aws_iam_group_policy_attachment")
    assignments = ctx.found("aws_ssoadmin_account_assignment")
    if assignments and not _people(ctx):
        return covered(ctx.cite(assignments[:1]), "no IAM users but the break-glass ones: people get permissions only "
                                                  "through their group's Identity Center permission set")
    if not groups:
        return not_applicable("the profile has no IAM groups or users")
    return covered(ctx.cite(groups), "users get permissions only from their groups")


def no_full_admin(ctx: Context) -> Verdict:
    full = _attached(ctx, "AdministratorAccess")
    if full:
        return partial("AdministratorAccess is attached for the administrator job function (this baseline's job functions: break-glass use only, "
                       "MFA required; an accepted finding): keep its members to the break-glass people", ctx.cite(full), "iam.groups")
    return covered((), "by construction: no rendered policy attachment grants AdministratorAccess")


def support_role(ctx: Context) -> Verdict:
    support = _attached(ctx, "AWSSupportAccess")
    if support:
        return covered(ctx.cite(support))
    return manual("create a role (or group) with the AWSSupportAccess policy for the people who open support cases",
                  ctx.config_rules("IAM_POLICY_IN_USE"))


def access_analyzer(ctx: Context) -> Verdict:
    analyzers = ctx.found("aws_accessanalyzer_analyzer")
    if not analyzers:
        return off("detection.access_analyzer.enabled", "no analyzer: set detection.access_analyzer.enabled: true")
    return ctx.everywhere(analyzers, ctx.cite(analyzers), absent="no analyzer in")


def central_identity(ctx: Context) -> Verdict:
    users = ctx.found("aws_iam_user")
    if _permission_sets(ctx) and not _people(ctx):
        return covered(ctx.cite(_permission_sets(ctx)[:1]) + ctx.cite(ctx.found("aws_ssoadmin_account_assignment")[:1]),
                       "people sign in to IAM Identity Center and reach each account through their job function's "
                       "permission set; no IAM users but the break-glass ones")
    identity = ctx.profile.iam.identity_account
    if ctx.tree.organization and identity and all(f.accounts == (identity,) for f in users):
        job_roles = [f for f in ctx.found("aws_iam_role") if f.address.startswith("module.job_roles.")]
        limited = [g.name for g in ctx.profile.iam.groups if g.reach is not None]
        reach = f"; {', '.join(limited)} only in the accounts iam.groups[].reach names" if limited else ""
        return covered(ctx.cite(users[:1]) + ctx.cite(job_roles[:1]),
                       f"people are IAM users of the `{identity}` account only and assume job-function roles elsewhere{reach}")
    return manual("manage people centrally: IAM Identity Center, or an identity account in AWS Organizations "
                  "(an organisation profile: accounts and iam.identity_account)")


def cloudshell(ctx: Context) -> Verdict:
    full = _attached(ctx, "AWSCloudShellFullAccess")
    if full:
        return partial("AWSCloudShellFullAccess is attached", ctx.cite(full), "iam.groups[].managed_policy_arns")
    return covered((), "by construction: no rendered policy attachment grants AWSCloudShellFullAccess")


def root_use(ctx: Context) -> Verdict:
    return manual("do not use the root user for daily or administrative tasks", ctx.cite(root_alarm(ctx), "root-usage alarm"))


def _root_credentials(ctx: Context, what: str, rule: str) -> Verdict:
    """A root credential item: with centralised root access (governance.root_access) member accounts have no root
    credentials, so it is left to the management account alone."""
    central = ctx.found("aws_iam_organizations_features", lambda b: "RootCredentialsManagement" in str(b.get("enabled_features")))
    if central:
        return manual(f"{what}: the management account only — member accounts have no root credentials (centralised root "
                      "access; delete the ones they still have once, README checklist)", ctx.cite(central) + ctx.config_rules(rule))
    return manual(what, ctx.config_rules(rule))


def root_access_key(ctx: Context) -> Verdict:
    return _root_credentials(ctx, "delete any access key of the root user", "IAM_ROOT_ACCESS_KEY_CHECK")


def root_mfa(ctx: Context) -> Verdict:
    return _root_credentials(ctx, "enable MFA on the root user", "ROOT_ACCOUNT_MFA_ENABLED")


def root_hardware_mfa(ctx: Context) -> Verdict:
    return _root_credentials(ctx, "use a hardware MFA device for the root user", "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED")


def contacts(ctx: Context) -> Verdict:
    return manual("keep the account's contact details (primary, billing, operations) current, reaching more than one person")


def security_contact(ctx: Context) -> Verdict:
    return manual("register a security contact (Account settings, Alternate contacts, Security)")


def security_questions(ctx: Context) -> Verdict:
    return manual("register the root user's security challenge questions")


def workload(what: str):
    def check(ctx: Context) -> Verdict:
        return not_applicable(f"{what}: a workload's resources, not the account baseline's")
    return check
