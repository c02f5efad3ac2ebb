"""baselinegen: an organisation's security profile in, a Terraform AWS security baseline out."""

__version__ = "0.1.0"

from .api import check_profile, load_profile, render, render_tree  # noqa: E402

__all__ = ["__version__", "check_profile", "load_profile", "render", "render_tree"]
