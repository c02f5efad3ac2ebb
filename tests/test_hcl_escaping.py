"""Profile strings reach the output only through the HCL filters and come back unchanged."""

from __future__ import annotations

import json
import subprocess

import hcl2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baselinegen.render.filters import hcl_escape, hcl_string, tf_identifier
from baselinegen.validate.hclcheck import serialization_options


_BACKSLASH = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _decode_hcl_string(raw: str) -> str:
    """Decode an HCL quoted-string body the way Terraform does: backslash escapes and the
    template escapes $${ -> ${ and %%{ -> %{ (python-hcl2 leaves them raw)."""
    out, i = [], 0
    while i < len(raw):
        if raw.startswith(("$${", "%%{"), i):
            out.append(raw[i] + "{")
            i += 3
        elif raw[i] == "\\":
            kind = raw[i + 1]
            if kind == "u":
                out.append(chr(int(raw[i + 2 : i + 6], 16)))
                i += 6
            else:
                out.append(_BACKSLASH[kind])
                i += 2
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def _round_trip(value: str) -> str:
    parsed = hcl2.loads(f"x = {hcl_string(value)}\n", serialization_options=serialization_options())
    return _decode_hcl_string(parsed["x"][1:-1])


def test_escapes_quotes_backslashes_newlines_and_template_sequences():
    assert hcl_string('a "b" \\ c\nd ${var.x} %{if y}') == '"a \\"b\\" \\\\ c\\nd $${var.x} %%{if y}"'


def test_unclosed_template_sequences_use_unicode_escapes():
    assert hcl_escape("cost ${ and %{") == "cost \\u0024{ and \\u0025{"


def test_control_characters_become_unicode_escapes():
    assert hcl_escape("\x01\x7f\t\r") == "\\u0001\\u007f\\t\\r"


def test_already_escaped_looking_sequences_are_escaped_again():
    assert hcl_escape("$${x} %%{y}") == "$$${x} %%%{y}"


def test_iam_policy_variables_keep_the_conventional_form():
    assert hcl_escape("user/${aws:username}") == "user/$${aws:username}"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_string_survives_a_parse_back(value):
    assert _round_trip(value) == value


def test_terraform_reads_escaped_strings_back_unchanged(tmp_path, terraform_bin):
    """Terraform's own parser (terraform console) decodes what hcl_string wrote."""
    values = ["plain", 'quote " inside', "back\\slash", "new\nline", "tab\tcr\r", "${var.not_a_reference}",
              "%{ if true }directive%{ endif }", "$${already}", "%%{already}", "$", "%", "{}", "日本語 ✓",
              "ends with $", "ends with %", "$$${x}", "\x01\x1f control", "${", "%{", "a ${b", "{${x}}"]
    body = "\n".join(f"  v{i} = {hcl_string(v)}" for i, v in enumerate(values))
    (tmp_path / "main.tf").write_text(f"locals {{\n{body}\n}}\n", encoding="utf-8")
    expression = "jsonencode([" + ", ".join(f"local.v{i}" for i in range(len(values))) + "])"
    result = subprocess.run([terraform_bin, "console"], input=expression + "\n", cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(json.loads(result.stdout.strip())) == values


def test_terraform_names_are_snake_case_identifiers():
    assert [tf_identifier(n) for n in ("InfraAdmins", "IAMAdmins", "deploy-bot", "aiko.tanaka", "9lives", "A+B=C")] == [
        "infra_admins", "iam_admins", "deploy_bot", "aiko_tanaka", "n_9lives", "a_b_c"]
