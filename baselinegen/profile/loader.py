"""Read a profile: YAML with the line and column of every key and item, and ``extends`` merging."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, Problem, ProfileError
from ..resources import preset_names, profiles_dir
from .document import Builder, LoadedDocument, PathKey, dotted_path, mark_location as _mark
from .yaml_compose import ComposeLimit, Reached, compose_single_document

__all__ = ["LoadedDocument", "PathKey", "dotted_path", "load_document", "parse_yaml_text", "problem_at", "raise_if_problems"]

# libyaml (when PyYAML was built with it) reads the events about five times faster than the pure-Python parser.
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml_text(text: str, file: str) -> tuple[LoadedDocument, list[Problem]]:
    """Parse one YAML document. Problems cover syntax errors, bounds, tags, empty documents and non-mappings."""
    bom = text.find("\ufeff", 1)  # YAML reads one inside a document as text; it is an invisible mistake there
    if bom > 0:
        return LoadedDocument(data=None, file=file), [_character_problem(text, bom, 0xFEFF, file)]
    if _FastLoader is not yaml.SafeLoader:
        try:
            return _parse_yaml_text(text, file, _FastLoader)
        except yaml.YAMLError:
            pass  # the pure-Python parser words the error the way the tests and users know it
    try:
        return _parse_yaml_text(text, file, yaml.SafeLoader)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, control characters)
        return LoadedDocument(data=None, file=file), [_reader_problem(exc, text, file)]
    except yaml.MarkedYAMLError as exc:
        return LoadedDocument(data=None, file=file), [_syntax_problem(exc, file)]
    except yaml.YAMLError as exc:
        return LoadedDocument(data=None, file=file), [Problem(Location(file, 1, 1), "", f"YAML error: {exc}".split("\n")[0], "E100")]


def _reader_problem(exc, text: str, file: str) -> Problem:
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    return _character_problem(text, exc.position, code, file)


def _character_problem(text: str, position: int, code: int, file: str) -> Problem:
    """At the character's line, column (PyYAML gives only its index, counted as YAML counts lines) and key path."""
    position = min(max(position, 0), len(text))
    before = text[:position]
    line_start = max(before.rfind(c) for c in "\n\r\x85\u2028\u2029") + 1
    line = 1 + len(re.findall("\r\n|[\n\r\x85\u2028\u2029]", before))
    what = {0xFEFF: "a byte order mark, allowed only at the start"}.get(code, "a control character" if code < 0x20 or 0x7F <= code < 0xA0
                                                                       else "not allowed in YAML")
    return Problem(Location(file, line, position - line_start + 1), dotted_path(_path_at(text, position)),
                   f"character U+{code:04X} ({what}) cannot be in a profile; remove it", "E100")


def _path_at(text: str, position: int) -> tuple:
    """The key path of the value that holds the character at ``position``: the text is parsed with every character
    YAML refuses read as a space, up to there."""
    loader = yaml.SafeLoader(yaml.reader.Reader.NON_PRINTABLE.sub(" ", text))
    try:
        compose_single_document(loader, until=position)
    except Reached as reached:
        return reached.path
    except yaml.YAMLError as exc:
        return getattr(exc, "profile_path", ())
    except ComposeLimit as exc:
        return exc.path
    finally:
        loader.dispose()
    return ()


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    where = _mark(file, mark) if mark else Location(file, 1, 1)
    context = exc.context or ""
    if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
        context += f" (started at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
    what = " ".join(filter(None, [context, exc.problem])) or "invalid YAML"
    path = dotted_path(getattr(exc, "profile_path", ()))  # where the parser was, when it was inside the document
    return Problem(where, path, f"YAML syntax error: {' '.join(what.split())}", "E100")


def _parse_yaml_text(text: str, file: str, loader_class) -> tuple[LoadedDocument, list[Problem]]:
    """Raises yaml.YAMLError for text that is not YAML."""
    start = Location(file, 1, 1)
    loader = loader_class(text)
    try:
        try:
            node = compose_single_document(loader)
        except ComposeLimit as exc:
            return LoadedDocument(data=None, file=file), [Problem(_mark(file, exc.mark), dotted_path(exc.path), exc.message, exc.code)]
        if node is None:
            doc = LoadedDocument(data=None, file=file)
            return doc, [Problem(start, "", "the profile is empty; it must be a mapping with at least 'version' and 'organization'", "E103")]
        builder = Builder(file, loader)
        data = builder.build(node, ())
    finally:
        loader.dispose()
    builder.doc.data = data
    problems = list(builder.problems)
    if builder.fatal:
        builder.doc.data = None
        return builder.doc, problems
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "null"
        kind = {"list": "a list", "str": "a string", "int": "a number", "float": "a number", "bool": "a boolean"}.get(kind, kind)
        problems.append(Problem(builder.doc.locate(()), "", f"the profile is {kind}; it must be a mapping with at least 'version' and 'organization'", "E103"))
    return builder.doc, problems


def read_profile_file(path: Path) -> tuple[LoadedDocument, list[Problem]]:
    file = str(path)
    start = Location(file, 1, 1)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return LoadedDocument(None, file), [Problem(start, "", "cannot read the profile: file not found", "E100")]
    except IsADirectoryError:
        return LoadedDocument(None, file), [Problem(start, "", "cannot read the profile: it is a directory, not a file", "E100")]
    except OSError as exc:
        return LoadedDocument(None, file), [Problem(start, "", f"cannot read the profile: {exc.strerror or exc}", "E100")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1:exc.start].decode("utf-8", errors="replace")) + 1  # characters
        where = Location(file, line, column)
        path = dotted_path(_path_at(raw.decode("utf-8", errors="replace"), len(raw[:exc.start].decode("utf-8", errors="replace"))))
        return LoadedDocument(None, file), [Problem(where, path, f"the profile is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8", "E100")]
    if text.startswith("\ufeff"):
        text = text[1:]
    return parse_yaml_text(text, file)


def _merge(base: Any, override: Any, base_doc: LoadedDocument, over_doc: LoadedDocument, path: PathKey, out: LoadedDocument,
           index: dict) -> Any:
    """Key-by-key merge: mappings merge recursively; anything else (lists included) is replaced. ``index``: the
    documents' locations by top-level key, made as they are needed (see _copy)."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = {}
        for key in list(base) + [k for k in override if k not in base]:
            sub = path + (key,)
            if key in override:
                merged[key] = (_merge(base.get(key), override[key], base_doc, over_doc, sub, out, index) if key in base
                               else _copy(override[key], over_doc, sub, out, index))
                out.key_locations[sub] = over_doc.key_locations[sub]
            else:
                merged[key] = _copy(base[key], base_doc, sub, out, index)
                out.key_locations[sub] = base_doc.key_locations[sub]
        out.value_locations[path] = over_doc.value_locations.get(path, base_doc.value_locations.get(path))
        return merged
    return _copy(override, over_doc, path, out, index)


def _copy(value: Any, doc: LoadedDocument, path: PathKey, out: LoadedDocument, index: dict) -> Any:
    """``value`` (at ``path`` of ``doc``), its locations copied to ``out``. Only the locations under the same top-level
    key are looked at: scanning all of them for each section copied is slow for thousands of accounts."""
    for table_in, table_out in ((doc.value_locations, out.value_locations), (doc.key_locations, out.key_locations)):
        if path and id(table_in) not in index:
            by_top: dict = {}
            for key, loc in table_in.items():
                if key:
                    by_top.setdefault(key[0], []).append((key, loc))
            index[id(table_in)] = by_top  # the tables live as long as the merge: their ids stay theirs
        for key, loc in (index[id(table_in)].get(path[0], ()) if path else table_in.items()):
            if key[: len(path)] == path:
                table_out[key] = loc
    return value


def load_document(path: Path) -> tuple[LoadedDocument, list[Problem]]:
    """Read the profile and merge its ``extends`` preset under it. Problems are returned, not raised."""
    doc, problems = read_profile_file(path)
    if problems or not isinstance(doc.data, dict):
        return doc, problems
    preset = doc.data.get("extends")
    if preset is None:
        return doc, []
    names = preset_names()
    if not isinstance(preset, str) or preset not in names:
        where = doc.locate(("extends",))
        return doc, [Problem(where, "extends", f"unknown preset {preset!r}; allowed presets: {', '.join(names)}", "E104")]
    preset_path = profiles_dir() / f"{preset}.yaml"
    base, base_problems = parse_yaml_text(preset_path.read_text(encoding="utf-8"), f"profiles/{preset}.yaml")
    if base_problems:  # a broken preset is a bug in baselinegen, but report it like any profile problem
        return doc, base_problems
    merged = LoadedDocument(data=None, file=doc.file)
    merged.data = _merge(base.data, doc.data, base, doc, (), merged, {})
    merged.data.pop("extends", None)
    merged.data["extends"] = preset
    return merged, []


def problem_at(doc: LoadedDocument, path: tuple, message: str, code: str, severity: str = "error") -> Problem:
    """A problem located where ``path`` was written (or its nearest written ancestor)."""
    return Problem(doc.locate(path), dotted_path(path), message, code, severity)


def raise_if_problems(problems: list[Problem]) -> None:
    if problems:
        raise ProfileError(problems)
