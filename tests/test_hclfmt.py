"""The alignment pass produces what `terraform fmt` produces."""

from __future__ import annotations

import subprocess

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baselinegen.render.hclfmt import format_hcl


def test_consecutive_single_line_attributes_align_on_the_longest_key():
    text = 'resource "a" "b" {\n  x = 1\n  longer_name = "v"\n}\n'
    assert format_hcl(text) == 'resource "a" "b" {\n  x           = 1\n  longer_name = "v"\n}\n'


def test_multi_line_values_blank_lines_and_comments_break_the_chain():
    text = (
        'resource "a" "b" {\n  count = 1\n  description = "x"\n  tags = {\n    A = 1\n    Long_key = 2\n  }\n'
        '  enable_key_rotation = true\n\n  deletion_window_in_days = 30\n  # comment\n  is_enabled = true\n  policy = var.p\n}\n'
    )
    assert format_hcl(text) == (
        'resource "a" "b" {\n  count       = 1\n  description = "x"\n  tags = {\n    A        = 1\n    Long_key = 2\n  }\n'
        '  enable_key_rotation = true\n\n  deletion_window_in_days = 30\n  # comment\n  is_enabled = true\n  policy     = var.p\n}\n'
    )


def test_quoted_keys_and_braces_inside_strings_are_handled():
    text = 'x = {\n  "a" = "{"\n  "bbb" = "}${local.y}"\n}\n'
    assert format_hcl(text) == 'x = {\n  "a"   = "{"\n  "bbb" = "}${local.y}"\n}\n'


def test_blank_lines_are_tidied_and_one_final_newline_kept():
    assert format_hcl('a {\n\n  x = 1   \n\n\n  y = 2\n\n}\n\n\n') == "a {\n  x = 1\n\n  y = 2\n}\n"


_KEYS = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)
_VALUES = st.one_of(st.integers(-1000, 10**6).map(str), st.booleans().map(lambda b: "true" if b else "false"),
                    st.from_regex(r'"[a-zA-Z0-9 {}\[\]=#]{0,12}"', fullmatch=True))


@st.composite
def _bodies(draw):
    lines = []
    for n in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["attr", "attr", "attr", "blank", "comment", "map"]))
        if kind == "attr":
            lines.append(f"  {draw(_KEYS)}{n} = {draw(_VALUES)}")
        elif kind == "blank":
            lines.append("")
        elif kind == "comment":
            lines.append("  # note")
        else:
            inner = [f'    "{draw(_KEYS)}{m}" = {draw(_VALUES)}' for m in range(draw(st.integers(1, 3)))]
            lines += [f"  {draw(_KEYS)}{n} = {{", *inner, "  }"]
    return 'resource "x" "y" {\n' + "\n".join(lines) + "\n}\n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_bodies())
def test_terraform_fmt_leaves_formatted_output_unchanged(tmp_path_factory, terraform_bin, body):
    """Whatever the template wrote, after format_hcl `terraform fmt` has nothing left to change."""
    path = tmp_path_factory.mktemp("fmt") / "main.tf"
    formatted = format_hcl(body)
    path.write_text(formatted, encoding="utf-8")
    result = subprocess.run([terraform_bin, "fmt", "-check", "-diff", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
