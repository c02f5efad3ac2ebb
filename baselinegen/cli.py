"""Command line: a thin Typer layer over the API. Exit codes: 0 ok, 1 error, 2 drift (check)."""

from __future__ import annotations

import json
import os
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from . import command_process, regenerate
from .version import __version__
from .regenerate import profile_outside, stale_pins
from .errors import BaselinegenError, ConflictError, FileSystemError, ProfileError, UserError, os_reason
from .sync import report
from .sync.plan import WRITES

app = typer.Typer(
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
    no_args_is_help=True,
    help="Turn a security profile (YAML) into a Terraform repository for an AWS security baseline.\n\n"
    "Exit codes: 0 ok, 1 error (bad profile, refused write), 2 drift (check).",
)

EXIT_OK, EXIT_ERROR, EXIT_DRIFT = 0, 1, 2


def _version(value: bool) -> None:
    if value:
        typer.echo(f"baselinegen {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True, help="Print the version.")) -> None:
    """baselinegen"""


def _profile_shown(profile: Optional[Path], plan) -> str:
    """The profile as named on the command line, or the manifest's (relative to the output folder)."""
    return str(profile) if profile is not None else os.path.normpath(plan.root / plan.manifest.profile_path)


def _print_stale_pins(plan) -> None:
    for note in stale_pins(plan):
        typer.echo(note, err=True)


def _print_warnings(warnings) -> None:
    for warning in warnings:
        typer.echo(str(warning), err=True)


def _fail(exc: UserError) -> None:
    if isinstance(exc, ProfileError):
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        warnings = len(exc.problems) - errors
        if exc.strict and warnings:  # --strict made them errors: counted as such
            typer.echo(f"{errors + warnings} error(s) ({warnings} of them warnings, errors under --strict), 0 warning(s); "
                       "nothing was written.", err=True)
        else:
            typer.echo(f"{errors} error(s), {warnings} warning(s); nothing was written.", err=True)
    elif isinstance(exc, FileSystemError):
        typer.echo(f"baselinegen: {exc}", err=True)
    elif isinstance(exc, ConflictError):
        typer.echo(report.conflict_report(exc.conflicts), err=True)
        typer.echo(f"error: {exc}", err=True)
    else:
        typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(EXIT_ERROR)


def _run(fn):
    try:
        return fn()
    except UserError as exc:
        _fail(exc)
    except OSError as exc:  # a read or write the system refused outside the guarded paths: still a message
        _fail(FileSystemError("use", str(exc.filename) if exc.filename is not None else "a file", os_reason(exc)))
    except BaselinegenError as exc:  # an invariant broke: a bug, but still no partial output
        typer.echo(f"internal error (please report it): {exc}", err=True)
        raise typer.Exit(EXIT_ERROR)


STRICT = typer.Option(False, "--strict", help="Treat warnings (weak but legal settings) as errors.")


@app.command()
def validate(profile: Path = typer.Argument(..., help="The profile YAML file."), strict: bool = STRICT) -> None:
    """Report every problem of the profile at once as FILE:LINE:COL: key.path: message."""
    from . import api

    loaded = _run(lambda: api.load_profile(profile, strict=strict))
    _print_warnings(loaded.warnings)
    typer.echo(f"{profile}: valid ({len(loaded.warnings)} warning(s))")


def _output(output: str, what: str = "a folder") -> Path:
    """-o as given, as a Path; the empty string is refused (Path("") would mean the current folder). Declared as str so
    that no version of Typer turns "" into "." before this sees it."""
    if output.strip():
        return Path(output)
    typer.echo(f"error: -o/--output is empty; name {what} (-o . is the current folder)", err=True)
    raise typer.Exit(EXIT_ERROR)


OUTPUT = typer.Option(..., "-o", "--output", metavar="DIR", help="The folder of the generated Terraform repository.")


@app.command()
def render(
    profile: Path = typer.Argument(..., help="The profile YAML file."),
    output: str = OUTPUT,
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would be done to each file; write nothing."),
    force: bool = typer.Option(False, "--force", help="Overwrite (or delete) files that hold hand edits."),
    strict: bool = STRICT,
) -> None:
    """Render the profile into a Terraform repository. Every file is planned first (create, update,
    adopt, delete, conflict); a file edited by hand stops the render unless --force."""
    output = _output(output)
    plan = _run(lambda: regenerate.render(profile, output, dry_run=dry_run, strict=strict, force=force))
    _print_warnings(plan.warnings)
    _print_stale_pins(plan)
    for line in report.action_lines(plan.actions):
        typer.echo(line)
    if plan.conflicts:  # only a dry run gets here: a real render raised ConflictError
        typer.echo(report.conflict_report(plan.conflicts), err=True)
        typer.echo(f"{output}: render would stop on {len(plan.conflicts)} conflict(s) (dry run: nothing was written)", err=True)
        raise typer.Exit(EXIT_ERROR)
    for line in report.destroy_warning(plan.destroyed()):
        typer.echo(line)
    if profile_outside(plan.manifest.profile_path):
        typer.echo(f"note: {profile} is outside {output}; the generated CI workflow and pre-commit hook expect it at "
                   f"{output / Path(profile).name} (keep the profile in the repository)", err=True)
    written = sum(1 for a in plan.actions if a.action in WRITES)
    deleted = sum(1 for a in plan.actions if a.action == "delete")
    verb = "would be" if dry_run else "were"
    typer.echo(f"{output}: {written} of {len(plan.actions)} file(s) {verb} written, {deleted} deleted"
               + (" (dry run: nothing was written)" if dry_run else ""))


@app.command()
def check(
    profile: Optional[Path] = typer.Argument(None, help="The profile YAML file (default: the one recorded in the manifest)."),
    output: str = OUTPUT,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No diffs; print nothing when up to date (for hooks)."),
    strict: bool = STRICT,
) -> None:
    """Compare the folder with a fresh render; write nothing. Exit 0 up to date, 2 drift or hand edits, 1 error."""
    output = _output(output)
    plan = _run(lambda: regenerate.check(profile, output, strict=strict))
    if not quiet:
        _print_stale_pins(plan)
    if plan.up_to_date:
        if not quiet:
            typer.echo(f"{output}: up to date")
        raise typer.Exit(EXIT_OK)
    lines = report.drift_lines(plan.actions, plan.manifest_changed)
    files = sum(1 for a in plan.actions if a.status != "clean") or len(lines)  # a line may stand for many (file_fanout)
    typer.echo(f"{output}: not up to date ({files} file(s)):")
    typer.echo("\n".join(f"  {line}" for line in lines))
    if not quiet:
        for diff in report.drift_diffs([a for a in plan.drift if a.action not in ("adopt", "forget", "yours")]):
            typer.echo(diff)
    command = f"baselinegen render {_profile_shown(profile, plan)} -o {output}"
    if plan.conflicts:
        typer.echo(report.KEEP_AN_EDIT)
    typer.echo(f"To bring it up to date: {command}" + (" (after dealing with the hand edits)" if plan.conflicts else ""))
    raise typer.Exit(EXIT_DRIFT)


class ReviewFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
def diff(
    profile: Optional[Path] = typer.Argument(None, help="The profile YAML file (default: the one recorded in the manifest)."),
    output: str = OUTPUT,
    format: ReviewFormat = typer.Option(ReviewFormat.text, "--format", help="text, markdown (a pull-request comment) or json."),
    strict: bool = STRICT,
) -> None:
    """What a render would change: a security summary of the resources, then the file diffs. Exit codes as check."""
    output = _output(output)
    from .review import format_review

    plan, review = _run(lambda: regenerate.diff(profile, output, strict=strict))
    command = f"baselinegen diff {_profile_shown(profile, plan)} -o {output} --format text"
    typer.echo(format_review(review, format.value, command=command), nl=False)
    raise typer.Exit(EXIT_OK if plan.up_to_date else EXIT_DRIFT)


class Benchmark(str, Enum):
    cis_1_2 = "cis-1.2"
    cis_1_4 = "cis-1.4"
    cis_3_0 = "cis-3.0"
    cis_5_0 = "cis-5.0"
    cis_6_0 = "cis-6.0"
    cis_7_0 = "cis-7.0"


@app.command()
def controls(
    profile: Path = typer.Argument(..., help="The profile YAML file."),
    benchmark: Optional[Benchmark] = typer.Option(None, "--benchmark", help="cis-1.2, cis-1.4, cis-3.0, cis-5.0, cis-6.0 or cis-7.0 (default: the profile's monitoring.alarms.benchmark)."),
    format: ReviewFormat = typer.Option(ReviewFormat.text, "--format", help="text, markdown or json."),
) -> None:
    """Every control of the benchmark: covered (by which resources), partial (what is missing), turned off (by which
    profile key), manual (what a person must do) or not applicable; judged from the rendered Terraform. Writes nothing."""
    from . import api
    from .controls import format_report

    report = _run(lambda: api.controls(profile, benchmark.value if benchmark else None))
    typer.echo(format_report(report, format.value), nl=False)


class SchemaFormat(str, Enum):
    json = "json"
    markdown = "markdown"


@app.command()
def schema(
    format: SchemaFormat = typer.Option(SchemaFormat.json, "--format",
                                        help="json (the JSON Schema, for editor completion) or markdown (the profile reference, docs/profile.md)."),
) -> None:
    """Print the profile's JSON Schema (for editor completion), or with --format markdown the profile reference."""
    if format is SchemaFormat.markdown:
        from .profile.reference import reference_markdown

        typer.echo(reference_markdown(), nl=False)
        return
    from .profile.jsonschema import json_schema
    from .profile.schema import profile_schema

    typer.echo(json.dumps(json_schema(profile_schema()), indent=2, sort_keys=False))


def _presets() -> str:
    from .resources import preset_names

    return ", ".join(preset_names())


@app.command()
def init(
    preset: str = typer.Option("cis-1.4", "--preset", help=f"Preset the starter profile extends: {_presets()}."),
    output: str = typer.Option("profile.yaml", "-o", "--output", metavar="FILE", help="Where to write the starter profile."),
    name: str = typer.Option("example", "--name", help="Organisation name (prefix of resource names)."),
    home_region: str = typer.Option("us-east-1", "--home-region", help="Home Region."),
    organization: bool = typer.Option(False, "--organization", help="An organisation starter: an account of every role "
                                      "(placeholder ids), governance, state and CI; without it, one account."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a commented starter profile that validates with no warning: one account, or with --organization an
    organisation."""
    from .starter import write_starter

    output = _output(output, "a file")
    _run(lambda: write_starter(output, preset=preset, name=name, home_region=home_region, force=force, organization=organization))
    shape = "an organisation, " if organization else ""
    typer.echo(f"wrote {output} ({shape}extends {preset}); next: baselinegen validate {output}")


@app.command()
def policies(
    profile: Path = typer.Argument(..., help="The profile YAML file."),
    output: str = typer.Option(..., "-o", "--output", metavar="DIR", help="Folder for the JSON policy documents."),
    account_id: Optional[List[str]] = typer.Option(None, "--account-id", help="Repeatable. One account: the ids to put into "
                                                   "ARNs (default 111122223333; one folder each when several). An organisation: the accounts to export (default: all)."),
) -> None:
    """Write every policy the rendered Terraform attaches (managed, inline, trust, organisation policies) as JSON
    documents, one folder per account, plus index.json: which principal in which account holds each."""
    output = _output(output)
    from .policy.export import write_policies
    from .profile.aws_rules import is_account_id

    def run():
        for number in account_id or []:
            if not is_account_id(number):
                raise UserError(f"--account-id {number!r} is not valid; allowed: 12 digits 0-9")
        from . import api

        loaded = api.load_profile(profile)
        return write_policies(loaded.profile, output, list(account_id or []))

    written = _run(run)
    typer.echo(f"{output}: {len(written)} file(s)")


def main() -> None:
    command_process.prepare()
    # A command-line mistake (unknown option, bad --format) is an error like any other: exit 1, so that
    # exit 2 always means drift to scripts and hooks (Click uses 2 for usage errors by default).
    # (typer.BadParameter derives from the UsageError class Typer actually raises, vendored or not.)
    usage_error = next(cls for cls in typer.BadParameter.__mro__ if cls.__name__ == "UsageError")
    usage_error.exit_code = EXIT_ERROR
    try:
        app(prog_name="baselinegen")  # also under `python -m baselinegen`: completion scripts and usage name the command
    except SystemExit as done:
        command_process.end(done.code)
    command_process.end(0)
