"""The pipeline in memory: load -> validate -> render -> parse back + invariants. ``regenerate`` plans and writes."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .version import __version__
from .components.registry import REGISTRY
from .components.base import AcceptedFinding, ComponentOutput
from .components.ci.requirement import parse as parse_requirement
from .components.ci.policies import root_roles
from .components.ci.workflow import workflow_ci
from .components.monitoring.render import BENCHMARK_TITLES
from .components.state import backend as state_backend
from .components.state.runbook import first_apply
from .deviations import checks as deviation_checks, deviations, skips
from .controls import CONTROL_BENCHMARKS, ControlsReport, assess, markdown_table, summary_line
from .errors import Problem, ProfileError, RenderInvariantError
from .migrations import migration_files
from .profile import accounts_checks, adopt, aws_checks, control_tower_checks
from .components.control_tower import readme_context as control_tower_readme
from .organization.imports import adopt_imports, imports_file, where
from .organization import account_roots, apply_waves, accounts_by_module, called, module_entry, organization_files, readme_rows
from .profile.accounts import build_organization
from .profile.loader import LoadedDocument, load_document
from .profile.model import MANAGED_BY_TAG_KEY, Profile
from .profile.regions import partition_of
from .profile.schema import profile_schema
from .profile.validate import schema_problems
from .profile.wording import allowed_list, shown
from .render import remembered
from .render.env import RenderedFile, render_file
from .validate import forked, hclcheck, invariants, parse_ahead


@dataclass
class LoadResult:
    profile: Profile
    warnings: list[Problem]


def _core_problems(data: dict, doc: LoadedDocument) -> list[Problem]:
    org = data["organization"]
    problems = []
    seen = set()
    for i, region in enumerate(org["regions"]):
        if region in seen:
            problems.append(Problem(doc.locate(("organization", "regions", i)), f"organization.regions[{i}]", f"region {region!r} is listed twice", "E209"))
        seen.add(region)
    home_partition = partition_of(org["home_region"])
    for i, region in enumerate(org["regions"]):
        if partition_of(region) != home_partition:
            problems.append(Problem(doc.locate(("organization", "regions", i)), f"organization.regions[{i}]",
                                    f"region {region!r} is in the {partition_of(region)} partition, the home Region "
                                    f"{org['home_region']} in {home_partition}; one baseline's provider and credentials "
                                    "reach one partition: write a profile per partition", "E259"))
    if isinstance(org["regions"], list) and org["home_region"] not in org["regions"]:
        regions = allowed_list(map(str, org["regions"]), what="Regions")
        problems.append(Problem(doc.locate(("organization", "home_region")), "organization.home_region",
                                f"{shown(org['home_region'])} is not in organization.regions ({regions}); add it there", "E210"))
    return problems


FATAL_CODES = {"E100", "E103", "E104", "E105", "E106", "E107", "E108", "E109"}  # unreadable, not a mapping, unknown preset, not plain or bounded YAML: nothing more to check


def _cross_reference_problems(data: dict, doc: LoadedDocument, schema_found: list[Problem]) -> list[Problem]:
    """Cross-reference checks; with schema errors, each check that still makes sense runs (a check
    that trips over a malformed value is skipped: that value already has its schema error)."""
    checks = [lambda: _core_problems(data, doc), lambda: accounts_checks.check(data, doc), lambda: adopt.check(data, doc),
              lambda: deviation_checks.check(data, doc), lambda: control_tower_checks.check(data, doc)]
    checks += [lambda c=c: c(data, doc) for c in aws_checks.CHECKS]  # each on its own: a bad section stops only its check
    checks += [lambda c=c: c.check(data, doc) for c in REGISTRY]
    found = []
    for run in checks:
        try:
            found += run()
        except (KeyError, TypeError, AttributeError, IndexError, ValueError):
            if not schema_found:
                raise
    bad = [p.path for p in schema_found]

    def under_bad_value(path: str) -> bool:
        return any(path == b or path.startswith((b + ".", b + "[")) for b in bad)

    return [p for p in found if not under_bad_value(p.path)]


def check_profile(path: str | os.PathLike) -> tuple[list[Problem], Profile | None]:
    """Every problem of the profile (errors and warnings), and the Profile when there are no errors."""
    doc, problems = load_document(Path(path))
    if any(p.code in FATAL_CODES for p in problems):
        return problems, None
    schema_found, data = schema_problems(doc, profile_schema())
    problems += schema_found
    if isinstance(data, dict):
        problems += _cross_reference_problems(data, doc, schema_found)
    problems.sort(key=lambda p: (p.location.file != doc.file, p.location.file, p.location.line, p.location.column))
    if isinstance(data, dict):
        problems = deviation_checks.mark_accepted(data, doc, problems)  # warnings an exception accepts say so
    if any(p.severity == "error" for p in problems):
        return problems, None
    profile = Profile(
        source=Path(path).name,
        organization=build_organization(data),
        raw=data,
        warnings=tuple(p for p in problems if p.severity == "warning"),
        **{component.id: component.build(data) for component in REGISTRY},
    )
    if any(d.kind == "checkov" for d in deviations(data)):  # W482 is judged from the render: only with checkov exceptions
        rendered = render_tree(profile)
        unused = deviation_checks.unused_skips(data, doc, rendered.accepted_findings, rendered.files)
        if unused:
            problems = sorted(problems + unused, key=lambda p: (p.location.file != doc.file, p.location.file,
                                                                p.location.line, p.location.column))
            profile = dataclasses.replace(profile, warnings=tuple(p for p in problems if p.severity == "warning"))
    return problems, profile


def load_profile(path: str | os.PathLike, *, strict: bool = False) -> LoadResult:
    """Load and validate a profile. Raises ProfileError listing every error (and warnings if strict)."""
    problems, profile = check_profile(path)
    errors = [p for p in problems if p.severity == "error" or (strict and not deviation_checks.is_accepted(p))]  # accepted: exceptions
    if errors or profile is None:
        raise ProfileError([p for p in problems if not (strict and deviation_checks.is_accepted(p))], strict=strict)
    return LoadResult(profile=profile, warnings=[p for p in problems if p.severity == "warning"])


@dataclass
class RenderResult:
    files: list[RenderedFile]
    accepted_findings: list[AcceptedFinding] = field(default_factory=list)
    controls: ControlsReport | None = None  # the profile's benchmark, judged from these files (None: they do not parse)
    parsed: hclcheck.ParsedFiles | None = field(default=None, repr=False, compare=False)  # their parse, for verify


MANUAL_CHECKLIST = (
    "Root user: enable MFA (a hardware key where possible) and keep the password and the MFA device with different people (CIS 1.5, 1.6).",
    "Root user: delete any access key it has and do not use it for daily work (CIS 1.4, 1.7).",
    "Account contacts: keep the primary, security, billing and operations contacts current (CIS 1.1, 1.2).",
    "Every person with a console login enrols an MFA device before doing anything else (CIS 1.10).",
    "Console access for people: an administrator creates a one-time login profile; baselinegen never creates passwords or access keys (CIS 1.11).",
    "Access keys of programmatic users: rotate them at least every 90 days and keep at most one active (CIS 1.13, 1.14).",
)


def render_tree(profile: Profile, profile_path: str | None = None) -> RenderResult:
    """Render every file in memory (nothing is written). ``profile_path``: the profile's path relative to the output
    folder (posix), which the generated CI uses; by default the profile's file name (the profile in the folder).
    A profile with ``accounts`` renders the organisation layout: shared modules and one root per account."""
    with remembered.remembering():  # files rendered from the same inputs before are not rendered again
        return _render_tree(profile, profile_path)


def _render_tree(profile: Profile, profile_path: str | None) -> RenderResult:
    placed = []
    for component in REGISTRY:
        for out in component.render_organization(profile) if profile.organization.accounts else [component.render(profile)]:
            if profile.organization.accounts and out.module and not called(profile, out):
                continue  # e.g. patching without a workload account (W434): a module no root calls is not written
            parse_ahead.parse_soon(remembered.rendered_now(out.files))  # parsed (if new) while the rest renders
            placed.append((component, out))
    outputs = [out for _, out in placed]
    modules = [module_entry(out, component.title, out.module.source) for component, out in placed if out.module]
    findings = sorted({f for out in outputs for f in out.accepted_findings}, key=lambda f: (f.address, f.check_id))
    org = profile.organization
    tags = sorted(dict(org.tags, **{MANAGED_BY_TAG_KEY: "baselinegen"}).items())
    common = {"source": profile.source, "home_region": org.home_region, "regions": org.regions, "org_name": org.name,
              "benchmark": profile.monitoring.benchmark, "profile_path": profile_path or Path(profile.source).name,
              "version": __version__, "required_terraform": state_backend.required_terraform(profile)}
    requirement = parse_requirement(profile.ci.baselinegen)  # validated: it parses
    roots = account_roots(profile, [(out, component.title) for component, out in placed]) if org.accounts else []
    ci_roles = root_roles(profile)
    files = [
        remembered.file("repo/pre-commit-config.yaml.j2", ".pre-commit-config.yaml", mode="starter", requirement=requirement, **common),
        remembered.file("repo/terraform-workflow.yml.j2", ".github/workflows/terraform.yml", mode="starter", accounts=bool(roots),
                    requirement=requirement, ci=workflow_ci(profile, apply_waves(roots)), **common),
        remembered.file("repo/gitignore.j2", ".gitignore", mode="starter", **common),
    ]
    if roots:
        files += organization_files(profile, roots, common, tags)
    else:
        files += [
            render_file("root/versions.tf.j2", "versions.tf", **common),
            render_file("root/providers.tf.j2", "providers.tf", tags=tags, ci_roles=ci_roles, partition=partition_of(org.home_region), **common),
            render_file("root/main.tf.j2", "main.tf", modules=modules, **common,
                        regional=any(name == "regions" for m in modules for name, _ in m["inputs"])),
            render_file("root/variables.tf.j2", "variables.tf", ci_roles=ci_roles, **common),
            render_file("root/outputs.tf.j2", "outputs.tf", modules=modules, **common),
            _backend_file(profile, common),
        ]
        single = adopt_imports(adopt.entries(profile.raw.get("adopt")), org.regions, where(profile))
        files += [imports_file("", single, common)] if single else []
    for out in outputs:
        files.extend(out.files)
    files.extend(migration_files(profile, placed))
    accepted = deviations(profile.raw)
    files, skipped = skips.apply(accepted, files)  # exceptions: checkov skips on the resources they name
    findings = sorted(set(findings) | set(skipped), key=lambda f: (f.address, f.check_id))
    parsed = hclcheck.ParsedFiles.of(files)
    report = controls_report(profile, files, profile.monitoring.benchmark, parsed)
    files.append(remembered.file(
        "repo/README.md.j2", "README.md", mode="sectioned", modules=modules, accepted_findings=findings,
        benchmark_title=BENCHMARK_TITLES[profile.monitoring.benchmark], roots=readme_rows(roots), module_accounts=accounts_by_module(roots),
        deployment_role=org.deployment_role, ci_roles=ci_roles, first_apply=first_apply(profile, roots),
        identity_account=profile.iam.identity_account, controls=_controls(outputs),
        controls_summary=summary_line(report) if report else "", controls_table=markdown_table(report) if report else "",
        other_benchmarks=[b for b in CONTROL_BENCHMARKS if b != profile.monitoring.benchmark],
        checklist=MANUAL_CHECKLIST + tuple(item for out in outputs for item in out.checklist),
        profile_warnings=profile.warnings, deviations=skips.table_rows(accepted), control_tower=control_tower_readme(profile), **common))
    return RenderResult(files=sorted(files, key=lambda f: f.path), accepted_findings=findings, controls=report, parsed=parsed)


def _backend_file(profile: Profile, common: dict) -> RenderedFile:
    """``backend.tf``: generated from ``state`` (managed); without it a commented example, written once (starter)."""
    backend = state_backend.backend(profile, state_backend.SINGLE_ACCOUNT_KEY)
    return render_file("root/backend.tf.j2", "backend.tf", mode="managed" if backend else "starter", backend=backend, **common)


def controls_report(profile: Profile, files: list[RenderedFile], benchmark: str,
                    parsed: hclcheck.ParsedFiles | None = None) -> ControlsReport | None:
    """The benchmark's controls judged from the rendered ``.tf`` files; None when one does not parse (``verify``
    then refuses the render). ``parsed``: their parse, when it was made already."""
    parsed, failures = (parsed or hclcheck.ParsedFiles.of(files)).of_files(files)
    return None if failures else assess(profile, parsed, benchmark)


def _controls(outputs: list[ComponentOutput]) -> list:
    """The README's control rows in registry order; a row two modules share appears once."""
    rows = []
    for row in (row for out in outputs for row in out.controls):
        if row not in rows:
            rows.append(row)
    return rows


def verify(result: RenderResult, profile: Profile) -> None:
    """Parse every file back and check the invariants; raises RenderInvariantError on any failure."""
    _raise_render_problems(render_problems(result.files, profile, result.parsed))


FILES_WORTH_A_FORK = 400  # below this, the checks take less time than starting a copy of the process


def verify_beside(result: RenderResult, profile: Profile) -> Callable[[], None]:
    """``verify``, run beside the caller's next steps (in a forked copy, for a large render); returns the function
    that waits for the verdict and raises like ``verify``. Call it before writing anything."""
    if len(result.files) < FILES_WORTH_A_FORK:
        return lambda: verify(result, profile)
    wait = forked.run_beside(render_problems, result.files, profile, result.parsed)
    return lambda: _raise_render_problems(wait())


def render_problems(files: list[RenderedFile], profile: Profile, parsed: hclcheck.ParsedFiles | None = None) -> list[str]:
    parsed, failures = (parsed or hclcheck.ParsedFiles.of(files)).of_files(files)
    problems = [f"{f.path}: does not parse: {f.message}" for f in failures]
    if not problems:
        problems = hclcheck.structure_problems(parsed) + invariants.security_problems(parsed, profile)
    return problems


def _raise_render_problems(problems: list[str]) -> None:
    if problems:
        raise RenderInvariantError("the rendered Terraform failed its checks:\n" + "\n".join(problems))


def controls(profile_path: str | os.PathLike, benchmark: str | None = None) -> ControlsReport:
    """Which controls of ``benchmark`` (default: the profile's, ``monitoring.alarms.benchmark``) the profile's
    baseline covers, judged from its render. Raises ProfileError for a bad profile."""
    with parse_ahead.parsing_ahead():
        loaded = load_profile(profile_path)
        result = render_tree(loaded.profile)
        verify(result, loaded.profile)
    if benchmark is None or benchmark == loaded.profile.monitoring.benchmark:
        return result.controls
    return controls_report(loaded.profile, result.files, benchmark, result.parsed)
