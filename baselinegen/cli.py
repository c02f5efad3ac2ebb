"""Command line: a thin Typer layer over the API. Exit codes: 0 ok, 1 error, 2 drift (check)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Optional

import typer

from . import __version__, api
from .errors import BaselinegenError, ProfileError, UserError
from .profile.jsonschema import json_schema
from .profile.schema import profile_schema
from .resources import preset_names

app = typer.Typer(
    add_completion=False,
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


def _print_warnings(warnings) -> None:
    for warning in warnings:
        typer.echo(str(warning), err=True)


def _fail(exc: UserError) -> None:
    if isinstance(exc, ProfileError):
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        warnings = len(exc.problems) - errors
        typer.echo(f"{errors} error(s), {warnings} warning(s); nothing was written.", err=True)
    else:
        typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(EXIT_ERROR)


def _run(fn):
    try:
        return fn()
    except UserError as exc:
        _fail(exc)
    except BaselinegenError as exc:  # an invariant broke: a bug, but still no partial output
        typer.echo(f"internal error (please report it): {exc}", err=True)
        raise typer.Exit(EXIT_ERROR)


STRICT = typer.Option(False, "--strict", help="Treat warnings (weak but legal settings) as errors.")


@app.command()
def validate(profile: Path = typer.Argument(..., help="The profile YAML file."), strict: bool = STRICT) -> None:
    """Report every problem of the profile at once as FILE:LINE:COL: key.path: message."""
    loaded = _run(lambda: api.load_profile(profile, strict=strict))
    _print_warnings(loaded.warnings)
    typer.echo(f"{profile}: valid ({len(loaded.warnings)} warning(s))")


@app.command()
def render(
    profile: Path = typer.Argument(..., help="The profile YAML file."),
    output: Path = typer.Option(..., "-o", "--output", help="The folder of the generated Terraform repository."),
    dry_run: bool = typer.Option(False, "--dry-run", help="List what would be written; write nothing."),
    strict: bool = STRICT,
) -> None:
    """Render the profile into a Terraform repository (parsed back and checked before anything is written)."""
    report = _run(lambda: api.render(profile, output, dry_run=dry_run, strict=strict))
    _print_warnings(report.warnings)
    for action in report.actions:
        if action.action != "unchanged":
            typer.echo(f"{action.action:9} {action.path}")
    changed = sum(1 for a in report.actions if a.action in ("create", "update"))
    verb = "would be written (dry run: nothing was written)" if dry_run else "written"
    typer.echo(f"{output}: {changed} of {len(report.actions)} file(s) {verb}")


@app.command()
def schema() -> None:
    """Print the profile's JSON Schema (for editor completion)."""
    typer.echo(json.dumps(json_schema(profile_schema()), indent=2, sort_keys=False))


@app.command()
def init(
    preset: str = typer.Option("cis-1.4", "--preset", help="Preset the starter profile extends."),
    output: Path = typer.Option(Path("profile.yaml"), "-o", "--output", help="Where to write the starter profile."),
    name: str = typer.Option("example", "--name", help="Organisation name (prefix of resource names)."),
    home_region: str = typer.Option("us-east-1", "--home-region", help="Home Region."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a commented starter profile that validates."""
    from .starter import starter_profile

    def write():
        if preset not in preset_names():
            raise UserError(f"unknown preset {preset!r}; allowed presets: {', '.join(preset_names())}")
        if not re.fullmatch(r"[a-z][a-z0-9-]{0,30}[a-z0-9]", name):
            raise UserError(f"--name {name!r} is not valid; allowed: 2-32 lowercase letters, digits and hyphens, starting with a letter")
        if output.exists() and not force:
            raise UserError(f"{output} exists; use --force to overwrite it")
        text = starter_profile(preset=preset, name=name, home_region=home_region)
        output.write_text(text, encoding="utf-8")

    _run(write)
    typer.echo(f"wrote {output} (extends {preset}); next: baselinegen validate {output}")


@app.command()
def policies(
    profile: Path = typer.Argument(..., help="The profile YAML file."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the JSON policy documents."),
    account_id: str = typer.Option("111122223333", "--account-id", help="Account id to put into ARNs."),
) -> None:
    """Write every generated IAM policy as a JSON document (one file per policy) plus index.json."""
    from .policy.export import write_policies

    def run():
        if not re.fullmatch(r"\d{12}", account_id):
            raise UserError(f"--account-id {account_id!r} is not valid; allowed: 12 digits")
        loaded = api.load_profile(profile)
        return write_policies(loaded.profile, output, account_id)

    written = _run(run)
    typer.echo(f"{output}: {len(written)} file(s)")


def main() -> None:
    app()
