"""baselinegen: an organisation's security profile in, a Terraform AWS security baseline out."""

from .version import __version__

# The API functions, importing the pipeline on first use: a render that changes nothing imports no component.
# (The subpackage ``baselinegen.render`` is imported first so that the function below keeps the name.)
from . import render as _render_package  # noqa: E402

del _render_package


def check_profile(path):
    from .api import check_profile

    return check_profile(path)


def load_profile(path, *, strict: bool = False):
    from .api import load_profile

    return load_profile(path, strict=strict)


def render(profile_path, out_dir, *, dry_run: bool = False, strict: bool = False, force: bool = False):
    from .api import render

    return render(profile_path, out_dir, dry_run=dry_run, strict=strict, force=force)


def render_tree(profile, profile_path=None):
    from .api import render_tree

    return render_tree(profile, profile_path)


for _function in (check_profile, load_profile, render, render_tree):
    _function.__doc__ = f"See baselinegen.api.{_function.__name__}."

__all__ = ["__version__", "check_profile", "load_profile", "render", "render_tree"]
