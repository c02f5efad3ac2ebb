"""Parse rendered Terraform back with python-hcl2 and check the structure before anything is written."""

from __future__ import annotations

import json
import multiprocessing
import os
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass

from ..render.env import RenderedFile
from ..usercache import cache_dir
from . import parse_ahead, parse_cache
from .readings import Reading
from .hclparse import SERIALIZATION_OPTIONS, _load_parser, _parse, _parse_in_worker, _safe_parse, serialization_options  # noqa: F401


def unquote(value):
    """A literal string from the parsed form (``'"x"'`` -> ``x``); other values unchanged."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        inner = value[1:-1]
        return inner if "\\" not in inner and '"' not in inner else json.loads(value)  # the common case, without json
    return value


def label(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == '"' and key[-1] == '"' else key


@dataclass(frozen=True)
class ParseFailure:
    path: str
    message: str


def parse_files(files: list[RenderedFile], workers: int | None = None) -> tuple[Parsed, list[ParseFailure]]:
    """Parse every ``.tf`` file. A text is parsed once: identical files share one result, account roots share the
    parse of their shape (see shapes.py), and a text parsed before (in this process or, through the parse cache, in
    an earlier run) is not parsed again. The returned dicts are shared (see parse_cache): do not change them.
    ``workers``: processes for the texts left to parse (default: up to 4, one per core, when there are more than 40)."""
    [results] = parse_paths([{f.path: f.content for f in files if f.path.endswith(".tf")}], workers)
    parsed, failures = Parsed(), []
    for path, result in results.items():
        if isinstance(result, str):
            failures.append(ParseFailure(path, result))
        else:
            parsed[path] = result
    return parsed, failures


@dataclass(frozen=True)
class ParsedFiles:
    """``parse_files`` of a list of files, kept with the texts it was made from: the controls report and the checks of
    one render share one parse, and a caller that changed a file gets a new parse (``of_files``)."""

    texts: tuple[tuple[str, str], ...]  # (path, text) of each .tf file
    parsed: Parsed
    failures: tuple[ParseFailure, ...]

    @classmethod
    def of(cls, files: list[RenderedFile]) -> ParsedFiles:
        parsed, failures = parse_files(files)
        return cls(_tf_texts(files), parsed, tuple(failures))

    def of_files(self, files: list[RenderedFile]) -> tuple[Parsed, list[ParseFailure]]:
        """(parsed, failures) of ``files``: this parse when they are the files it was made from."""
        if _tf_texts(files) == self.texts:  # the same str objects: compared by identity
            return self.parsed, list(self.failures)
        return parse_files(files)


def _tf_texts(files: list[RenderedFile]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((f.path, f.content) for f in files if f.path.endswith(".tf")))


def parse_paths(trees: list[dict[str, str]], workers: int | None = None) -> list[dict[str, object]]:
    """path -> parsed dict or failure message, for each tree of path -> ``.tf`` text. Every distinct text, large
    file's chunk (chunks.py) or account root shape (shapes.py) of all the trees is parsed once."""
    readings = [{path: Reading.of(path, text) for path, text in files.items()} for files in trees]
    results = parse_texts({key: text for by_path in readings for reading in by_path.values()
                           for key, text in reading.pieces}, workers)
    fits: dict[str, bool] = {}  # shape key -> whether its parse can be filled in (shapes.usable)
    whole = {reading.key: reading.text for by_path in readings for reading in by_path.values()
             if reading.result(results, fits) is None}  # a shape or chunks that did not work out: parsed as it is
    results |= parse_texts(whole, workers) if whole else {}
    out = []
    for by_path in readings:
        tree = {}
        for path in sorted(by_path):
            found = by_path[path].result(results, fits)
            tree[path] = found if found is not None else results[by_path[path].key]
        out.append(tree)
    return out


def parse_texts(texts: dict[str, str], workers: int | None = None) -> dict[str, object]:
    """parse_cache key -> text in, key -> parsed dict or failure message out. Texts this process has not
    seen are looked up in the persistent cache; the rest are parsed (by the worker parse_ahead started, if
    any; over ``workers`` processes when there are many), and stored."""
    folder = cache_dir()
    ahead = parse_ahead.pending(texts)
    results = parse_cache.known(folder, [key for key in texts if key not in ahead])
    missing = [(key, texts[key]) for key in texts if key not in results and key not in ahead]
    if workers is None:
        workers = min(4, os.cpu_count() or 1)
    # one text per task, the longest first: the workers take the next text as they finish and end together (tasks of
    # several texts put the longest ones in one worker)
    missing.sort(key=lambda item: -len(item[1]))
    if missing and parse_ahead.running():  # workers started with the process, while it was small
        done = [result.get() for result in [parse_ahead.submit(text) for _, text in missing]]
    elif workers > 1 and len(missing) > 40:
        if multiprocessing.get_start_method() == "fork":
            _load_parser()  # once, here: the forked workers inherit it
        from concurrent.futures import ProcessPoolExecutor  # here: a command that needs no pool does not import it
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = list(pool.map(_parse_in_worker, [text for _, text in missing]))
    else:
        done = [_safe_parse(text) for _, text in missing]
    for key, result in parse_ahead.collect(ahead).items():
        missing.append((key, texts[key]))
        done.append(result)
    parse_cache.store(folder, {key: result for (key, _), result in zip(missing, done) if isinstance(result, dict)})
    for (key, _), result in zip(missing, done):
        results[key] = result
    for key, result in results.items():
        parse_cache.remember(key, result)
    return results


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


def _collect_strings(value, out: list[str]) -> None:
    """Every string in ``value``, mapping keys included."""
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            _collect_strings(k, out)
            _collect_strings(v, out)
    elif isinstance(value, list):
        for v in value:
            _collect_strings(v, out)


def _references(value) -> set[str]:
    strings: list[str] = []
    _collect_strings(value, strings)
    # One search over all the strings, one per line: an interpolation never spans lines (``.`` stops at a line end),
    # so each match lies inside one string, as if each were searched alone.
    refs = set()
    for expression in _INTERPOLATION.findall("\n".join(strings)):
        refs.update(_REFERENCE.findall(expression))
    return refs


def structure_problems(parsed: dict[str, dict]) -> list[str]:
    """Each address declared once per module directory; every reference inside a module resolves."""
    by_dir: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for path, doc in sorted(parsed.items()):
        by_dir[posixpath.dirname(path)].append((path, doc))
    problems = []
    found: dict[int, tuple[object, list[str]]] = {}  # id(block) -> it, its references: account roots share blocks
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
                    known = found.get(id(entry))
                    if known is None or known[0] is not entry:
                        known = found[id(entry)] = (entry, sorted(_references(entry)))
                    refs += [(path, r) for r in known[1]]
        for path, ref in refs:
            if ref not in declared:
                problems.append(f"{path}: reference to undeclared {ref}")
    return sorted(set(problems))


class Parsed(dict):
    """path -> parsed document, as parse_files returns it, with the documents of one folder found without a scan of
    every file (``documents_in``). Like the documents, it is not changed once built."""

    def documents_in(self, directory: str) -> list[tuple[str, dict]]:
        index = self.__dict__.get("_by_dir")
        if index is None or index[0] != len(self):
            by_dir: dict[str, list[tuple[str, dict]]] = defaultdict(list)
            for path, doc in self.items():
                by_dir[posixpath.dirname(path)].append((path, doc))
            index = self.__dict__["_by_dir"] = (len(self), by_dir)
        return index[1].get(directory, [])


def documents_in(parsed: dict[str, dict], directory: str) -> list[tuple[str, dict]]:
    if isinstance(parsed, Parsed):
        return parsed.documents_in(directory)
    return [(path, doc) for path, doc in parsed.items() if posixpath.dirname(path) == directory]


def resource_bodies(parsed: dict[str, dict], directory: str, kind: str, type_: str) -> dict[str, dict]:
    """name -> body of every ``kind`` (resource/data) block of ``type_`` in one module directory."""
    out = {}
    for _, doc in documents_in(parsed, directory):
        for t, n, body in blocks(doc, kind):
            if t == type_:
                out[n] = body
    return out


def module_locals(parsed: dict[str, dict], directory: str) -> dict:
    """Every local of one module directory (all its files' ``locals`` blocks), by name."""
    merged = {}
    for _, doc in documents_in(parsed, directory):
        for entry in doc.get("locals", []):
            merged.update(entry)
    return merged
