"""Benchmark baselinegen on synthetic organisations and check the issue's performance targets.

    .venv/bin/python bench/run.py [--accounts 50,500,5000] [--regions 4] [--job-functions 8] [--users 40] [--repeat 3]
    .venv/bin/python bench/run.py --quick        # 6 accounts, 1 Region, once; targets shown, not enforced

Every figure is one command run the way a user runs it, in a fresh process (wall time; peak memory = the largest
max RSS of that process and of the parse workers it starts): ``baselinegen render PROFILE -o DIR`` into a folder
that holds only the profile (full render; the parse cache starts empty), the same again (nothing changed), then
after one small profile change (a custom alarm's threshold; then one user added); then ``baselinegen diff`` after
one more user and after a default tag changed in every account; ``baselinegen validate PROFILE``. Against them:
python-hcl2 parsing every ``.tf`` file of the output once in one process (the naive floor of our parse-back) and
``terraform fmt -check -recursive`` on the output. Times are the best of ``--repeat`` runs. baselinegen runs from
bytecode, as an installed package does (compiled first; PYTHONDONTWRITEBYTECODE is dropped). Exit 1 when a target
fails.

The targets (issue 25), for the largest organisation of the run: full render at most 0.7 x python-hcl2 parsing every
file once and under 30 s; diff after a default tag changed in every account at most 0.5 x the full render; the
profile validates in under 2 s; peak memory of every command (with its parse workers) under 1 GiB; time per account
at most 1.2 x that of the next smaller organisation of the run (500 when run with 500,5000). At every size: nothing
changed at most 0.1 x and one small change at most 0.2 x the full render.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_profile  # noqa: E402

MIB = 1024 * 1024
NAIVE_PARSE = """
import sys, time, pathlib, hcl2
from baselinegen.validate.hclcheck import serialization_options
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.tf"))]
options = serialization_options()
start = time.perf_counter()
for text in texts:
    hcl2.loads(text, serialization_options=options)
print(time.perf_counter() - start)
"""
_SUMMARY = re.compile(r": (\d+) of (\d+) file\(s\) were written")


@dataclass
class Run:
    seconds: float
    peak_bytes: int
    stdout: str


def measure(command: list[str], env: dict, expect: int = 0) -> Run:
    """Run ``command`` once; wall time and the peak RSS of it and its children (os.wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != expect:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{stdout}\n{stderr}")
    peak = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return Run(seconds, peak, stdout)


@dataclass
class Size:
    accounts: int
    regions: int
    runs: dict[str, list[Run]] = field(default_factory=dict)
    files: int = 0
    megabytes: float = 0.0
    written: dict[str, str] = field(default_factory=dict)

    def best(self, name: str) -> float:
        return min(r.seconds for r in self.runs[name])

    def peak(self, name: str) -> int:
        return max(r.peak_bytes for r in self.runs[name])

    def add(self, name: str, run: Run) -> None:
        self.runs.setdefault(name, []).append(run)
        found = _SUMMARY.search(run.stdout)
        if found:
            self.written[name] = f"{found.group(1)} of {found.group(2)} files written"


def bench_size(size: Size, args, env: dict, work: Path) -> None:
    python = [sys.executable, "-m", "baselinegen"]
    shape = dict(job_functions=args.job_functions, users=args.users)
    for repeat in range(args.repeat):
        folder = work / f"{size.accounts}x{size.regions}-{repeat}"
        out, cache = folder / "repo", folder / "cache"
        out.mkdir(parents=True)
        run_env = dict(env, BASELINEGEN_CACHE_DIR=str(cache))
        profile = write_profile(out / "profile.yaml", size.accounts, size.regions, **shape)
        render = python + ["render", str(profile), "-o", str(out)]
        size.add("full", measure(render, run_env))
        size.add("nothing", measure(render, run_env))
        write_profile(profile, size.accounts, size.regions, **shape, alarm_threshold=2)
        size.add("alarm", measure(render, run_env))
        write_profile(profile, size.accounts, size.regions, args.job_functions, args.users + 1, alarm_threshold=2)
        size.add("user", measure(render, run_env))
        diff = python + ["diff", str(profile), "-o", str(out)]  # exit 2: the folder differs from the profile
        write_profile(profile, size.accounts, size.regions, args.job_functions, args.users + 2, alarm_threshold=2)
        size.add("diff small", measure(diff, run_env, expect=2))
        write_profile(profile, size.accounts, size.regions, args.job_functions, args.users + 1, alarm_threshold=2, cost_center="5678")
        size.add("diff wide", measure(diff, run_env, expect=2))
        size.add("validate", measure(python + ["validate", str(profile)], run_env))
        naive = measure([sys.executable, "-c", NAIVE_PARSE, str(out)], run_env)
        size.add("parse", Run(float(naive.stdout), naive.peak_bytes, ""))
        if repeat == 0:
            tf = [p for p in out.rglob("*.tf")]
            size.files, size.megabytes = len(tf), sum(p.stat().st_size for p in tf) / 1e6
            terraform = shutil.which("terraform")
            if terraform:
                size.add("fmt", measure([terraform, "fmt", "-check", "-recursive", str(out)], run_env))
    # The folders are deleted at the end only: deleting thousands of files makes the next fsyncs wait for the journal.


@dataclass
class Row:
    figure: str
    value: str
    ratio: str = ""
    target: str = ""
    ok: bool | None = None


def rows_for(size: Size, largest: bool, enforce: bool) -> list[Row]:
    """The figures of one size; ``largest``: the issue's targets for the largest organisation apply; ``enforce``:
    targets count at all (not --quick)."""
    full, parse = size.best("full"), size.best("parse")
    rows = [Row(f"{size.accounts} accounts x {size.regions} Regions ({size.files} .tf files, {size.megabytes:.1f} MB)", "")]

    def ratio_row(figure: str, name: str, base: float, base_name: str, limit: float, applies: bool) -> Row:
        ratio = size.best(name) / base
        detail = f" ({size.written[name]})" if name in size.written else ""
        return Row(f"  {figure}{detail}", f"{size.best(name):.2f} s", f"{ratio:.3f}x", f"<= {limit} x {base_name}",
                   ratio <= limit if applies else None)

    rows.append(ratio_row("full render, empty parse cache", "full", parse, "parse once", 0.7, largest))
    rows.append(Row("  python-hcl2 parses every .tf once (naive floor)", f"{parse:.2f} s"))
    if "fmt" in size.runs:
        rows.append(Row("  terraform fmt -check -recursive", f"{size.best('fmt'):.2f} s", f"{size.best('fmt') / full:.3f}x", "(x full render)"))
    else:
        rows.append(Row("  terraform fmt -check -recursive", "not run: no terraform on PATH"))
    rows.append(ratio_row("render, nothing changed", "nothing", full, "full", 0.1, enforce))
    rows.append(ratio_row("render, one alarm threshold changed", "alarm", full, "full", 0.2, enforce))
    rows.append(ratio_row("render, one user added", "user", full, "full", 0.2, enforce))
    small = size.best("diff small")
    rows.append(Row("  diff, one more user (review of the change)", f"{small:.2f} s", f"{small / full:.3f}x", "(x full render)"))
    rows.append(ratio_row("diff, a default tag changed in every account", "diff wide", full, "full", 0.5, largest))
    validate = size.best("validate")
    rows.append(Row("  validate the profile", f"{validate:.2f} s", "", "< 2 s", validate < 2 if largest else None))
    peak = max(size.peak(name) for name in ("full", "nothing", "alarm", "user", "diff small", "diff wide", "validate"))
    rows.append(Row("  full render time", f"{full:.2f} s", "", "< 30 s", full < 30 if largest else None))
    rows.append(Row("  peak memory of any command (max RSS)", f"{peak / MIB:.0f} MiB", "", "< 1024 MiB",
                    peak < 1024 * MIB if largest else None))
    rows.append(Row("  full render time per account", f"{full / size.accounts * 1000:.1f} ms"))
    return rows


def growth_rows(small: Size, large: Size) -> list[Row]:
    per_small, per_large = small.best("full") / small.accounts, large.best("full") / large.accounts
    ratio = per_large / per_small
    extra = (large.best("full") - small.best("full")) / (large.accounts - small.accounts)
    return [Row(f"time per account, {large.accounts} vs {small.accounts} accounts", f"{per_large * 1000:.1f} vs {per_small * 1000:.1f} ms",
                f"{ratio:.3f}x", "<= 1.2x", ratio <= 1.2),
            Row(f"time per account added between {small.accounts} and {large.accounts}", f"{extra * 1000:.1f} ms")]


def print_table(rows: list[Row], enforce: bool) -> bool:
    widths = [max(len(getattr(r, name)) for r in rows) for name in ("figure", "value", "ratio", "target")]
    failed = False
    for r in rows:
        verdict = "" if r.ok is None else ("pass" if r.ok else "FAIL")
        failed |= r.ok is False
        cells = [r.figure.ljust(widths[0]), r.value.rjust(widths[1]), r.ratio.rjust(widths[2]), r.target.ljust(widths[3]), verdict]
        print("  ".join(cells).rstrip())
    if not enforce:
        print("(--quick: targets shown, not enforced)")
    return failed and enforce


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", default="50,500,5000", help="comma-separated account counts (default 50,500,5000)")
    parser.add_argument("--regions", type=int, default=4)
    parser.add_argument("--job-functions", type=int, default=8)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best time counts")
    parser.add_argument("--quick", action="store_true", help="6 accounts, 1 Region, one run; targets not enforced")
    args = parser.parse_args(argv)
    if args.quick:
        args.accounts, args.regions, args.repeat = "6", 1, 1
    counts = sorted({int(n) for n in args.accounts.split(",")})
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    package = Path(importlib.util.find_spec("baselinegen").origin).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], env=env, check=True, capture_output=True)
    print(f"baselinegen benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {args.job_functions} job functions, "
          f"{args.users} users, best of {args.repeat} run(s); ratio targets apply to the largest organisation")
    sizes = [Size(n, args.regions) for n in counts]
    with tempfile.TemporaryDirectory(prefix="baselinegen-bench-") as work:
        for size in sizes:
            bench_size(size, args, env, Path(work))
    rows = [row for size in sizes for row in rows_for(size, size is sizes[-1] and not args.quick, not args.quick)]
    if len(sizes) > 1:
        rows += growth_rows(sizes[-2], sizes[-1])
    header = Row("figure", "value", "ratio", "target")
    return 1 if print_table([header] + rows, enforce=not args.quick) else 0


if __name__ == "__main__":
    sys.exit(main())
