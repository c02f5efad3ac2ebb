"""Parse rendered Terraform back with python-hcl2 and check the structure before anything is written."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import hcl2

from ..render.env import RenderedFile


def serialization_options() -> hcl2.SerializationOptions:
    """Pinned python-hcl2 8.x options: blocks marked, strings keep their quotes, no comments."""
    return hcl2.SerializationOptions(
        with_comments=False, with_meta=False, wrap_objects=False, wrap_tuples=False, explicit_blocks=True,
        preserve_heredocs=True, force_operation_parentheses=False, preserve_scientific_notation=True,
        strip_string_quotes=False,
    )


def _parse(text: str) -> dict:
    return hcl2.loads(text, serialization_options=serialization_options())


def unquote(value):
    """A literal string from the parsed form (``'"x"'`` -> ``x``); other values unchanged."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return json.loads(value)
    return value


def label(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == '"' and key[-1] == '"' else key


@dataclass(frozen=True)
class ParseFailure:
    path: str
    message: str


def parse_files(files: list[RenderedFile], workers: int = 1) -> tuple[dict[str, dict], list[ParseFailure]]:
    """Parse every ``.tf`` file; identical contents are parsed once."""
    by_hash: dict[str, str] = {}
    for f in files:
        if f.path.endswith(".tf"):
            by_hash.setdefault(hashlib.sha256(f.content.encode()).hexdigest(), f.content)
    texts = list(by_hash.items())
    results: dict[str, object] = {}
    if workers > 1 and len(texts) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for (digest, _), result in zip(texts, pool.map(_safe_parse, [t for _, t in texts], chunksize=4)):
                results[digest] = result
    else:
        for digest, text in texts:
            results[digest] = _safe_parse(text)
    parsed, failures = {}, []
    for f in files:
        if not f.path.endswith(".tf"):
            continue
        result = results[hashlib.sha256(f.content.encode()).hexdigest()]
        if isinstance(result, str):
            failures.append(ParseFailure(f.path, result))
        else:
            parsed[f.path] = result
    return parsed, failures


def _safe_parse(text: str):
    try:
        return _parse(text)
    except Exception as exc:  # lark raises many exception types; report them all the same way
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"{type(exc).__name__}: {first}"


def blocks(parsed: dict, kind: str):
    """Yield (type, name, body) for ``resource``/``data`` blocks, or (name, None, body) for ``module``."""
    for entry in parsed.get(kind, []):
        for first, inner in entry.items():
            if kind in ("resource", "data"):
                for second, body in inner.items():
                    yield label(first), label(second), body
            else:
                yield label(first), None, inner


_INTERPOLATION = re.compile(r"(?<!\$)\$\{(.*?)\}")
_REFERENCE = re.compile(r"(?<![\w.\"])(data\.[a-z0-9_]+\.[A-Za-z_][\w-]*|var\.[A-Za-z_][\w-]*|local\.[A-Za-z_][\w-]*|module\.[A-Za-z_][\w-]*|aws_[a-z0-9_]+\.[A-Za-z_][\w-]*)")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _references(value) -> set[str]:
    refs = set()
    for text in _strings(value):
        for expression in _INTERPOLATION.findall(text):
            refs.update(_REFERENCE.findall(expression))
    return refs


def structure_problems(parsed: dict[str, dict]) -> list[str]:
    """Each address declared once per module directory; every reference inside a module resolves."""
    by_dir: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for path, doc in sorted(parsed.items()):
        by_dir[posixpath.dirname(path)].append((path, doc))
    problems = []
    for directory, docs in sorted(by_dir.items()):
        declared: dict[str, str] = {}
        refs: list[tuple[str, str]] = []
        for path, doc in docs:
            names = [f"{t}.{n}" for t, n, _ in blocks(doc, "resource")]
            names += [f"data.{t}.{n}" for t, n, _ in blocks(doc, "data")]
            names += [f"module.{n}" for n, _, _ in blocks(doc, "module")]
            names += [f"var.{n}" for n, _, _ in blocks(doc, "variable")]
            names += [f"output.{n}" for n, _, _ in blocks(doc, "output")]
            names += [f"local.{k}" for entry in doc.get("locals", []) for k in entry if k != "__is_block__"]
            for name in names:
                if name in declared:
                    problems.append(f"{path}: {name} is declared twice (also in {declared[name]})")
                declared[name] = path
            for kind in ("resource", "data", "module", "output", "locals"):
                for entry in doc.get(kind, []):
                    refs += [(path, r) for r in sorted(_references(entry))]
        for path, ref in refs:
            if ref not in declared:
                problems.append(f"{path}: reference to undeclared {ref}")
    return sorted(set(problems))


def resource_bodies(parsed: dict[str, dict], directory: str, kind: str, type_: str) -> dict[str, dict]:
    """name -> body of every ``kind`` (resource/data) block of ``type_`` in one module directory."""
    out = {}
    for path, doc in parsed.items():
        if posixpath.dirname(path) == directory:
            for t, n, body in blocks(doc, kind):
                if t == type_:
                    out[n] = body
    return out


def module_locals(parsed: dict[str, dict], directory: str) -> dict:
    """Every local of one module directory (all its files' ``locals`` blocks), by name."""
    merged = {}
    for path, doc in parsed.items():
        if posixpath.dirname(path) == directory:
            for entry in doc.get("locals", []):
                merged.update(entry)
    return merged
