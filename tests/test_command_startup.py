"""What a command pays for before and beside its work: a render that finds nothing changed loads no more than it needs,
and the command line's process runs no full garbage collection (its objects live until it ends)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import EXAMPLES, REPO

sys.path.insert(0, str(REPO / "bench"))
from synth import write_profile  # noqa: E402

RUN = """
import gc, runpy, sys
import baselinegen.command_process as process
full = []
gc.callbacks.append(lambda phase, info: full.append(1) if phase == "start" and info["generation"] == 2 else None)
if sys.argv[1] == "python-defaults":
    process.prepare = lambda: None
real_end = process.end


def end(code):  # what the command loaded and collected, told as it ends
    print(sorted(m for m in ("packaging.requirements", "importlib.metadata", "jinja2", "hcl2", "concurrent.futures", "socket")
                 if m in sys.modules))
    print(f"full collections: {len(full)}")
    real_end(code)


process.end = end
sys.argv = ["baselinegen", "render", sys.argv[2], "-o", sys.argv[3]]
runpy.run_module("baselinegen", run_name="__main__")
"""


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "repo"
    out.mkdir()
    shutil.copy(EXAMPLES / "acme-org.yaml", out / "acme-org.yaml")
    return out


def _render(folder, heap: str = "command") -> list[str]:
    env = dict(os.environ, BASELINEGEN_CACHE_DIR=str(folder.parent / "cache"))
    result = subprocess.run([sys.executable, "-c", RUN, heap, str(folder / "acme-org.yaml"), str(folder)],
                            capture_output=True, text=True, env=env, cwd=folder.parent)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_a_render_that_finds_nothing_changed_loads_no_template_parser_requirements_parser_nor_pool(folder):
    _render(folder)
    assert _render(folder)[-3:-1] == [f"{folder}: 0 of 135 file(s) were written, 0 deleted", "[]"]


def test_the_command_line_runs_no_full_collection_where_python_s_defaults_would(folder):
    write_profile(folder / "acme-org.yaml", 40, 2)  # large enough for Python's defaults to collect in full
    assert _render(folder, "python-defaults")[-1] != "full collections: 0"
    shutil.rmtree(folder.parent / "cache")
    assert _render(folder)[-1] == "full collections: 0"


@pytest.mark.parametrize("code, status, stderr", [(None, 0, ""), (0, 0, ""), (2, 2, ""), ("no such thing", 1, "no such thing\n")])
def test_a_command_ends_with_its_exit_status_after_all_it_printed(code, status, stderr):
    script = ("import sys\nfrom baselinegen import command_process\n"
              f"sys.stdout.write('x' * 100_000)\ncommand_process.end({code!r})\nprint('not reached')\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (result.returncode, result.stdout, result.stderr) == (status, "x" * 100_000, stderr)


@pytest.mark.parametrize("gone", ["sys.stdout = open('/dev/full', 'w')", "sys.stdout.close()"], ids=["full-device", "closed"])
def test_a_command_whose_output_cannot_be_written_still_ends_with_its_exit_status_and_no_traceback(gone):
    script = f"import sys\nfrom baselinegen import command_process\n{gone}\nprint('lost', end='') if not sys.stdout.closed else None\n" \
             "command_process.end(2)\n"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", "")
