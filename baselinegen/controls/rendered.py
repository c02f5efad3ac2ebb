"""The rendered tree as the control verdicts read it: which account roots call which modules, and each module's
resources, one per instance where ``for_each`` walks a literal ``locals`` map (alarms, Config rules).

A root is a folder whose ``.tf`` files call modules: the output folder of a single-account baseline, or
``accounts/<name>/`` of an organisation. Addresses are Terraform's, relative to the root that calls the module
(``module.iam.aws_iam_group.admins``); ``Found.accounts`` says which roots that is.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ..validate.hclcheck import blocks, label, unquote

SINGLE = ""  # the root of a single-account baseline
_EACH_VALUE = re.compile(r"^\$\{each\.value\.(\w+)\}$")


@dataclass(frozen=True)
class Found:
    """One resource (or one instance of it) the control verdicts cite."""

    address: str  # module.<call>.<type>.<name>[<key>]
    accounts: tuple[str, ...]  # the roots calling the module: account names, or (SINGLE,)
    body: dict = field(compare=False, hash=False)  # attributes; each.value.<x> resolved from a literal map

    @property
    def module(self) -> str:
        """The module call: ``module.<call>``."""
        return ".".join(self.address.split(".", 2)[:2])

    @property
    def name(self) -> str:
        """The block's name (``trail`` of ``module.log_archive.aws_s3_bucket.trail``), without an instance key."""
        return self.address.split("[", 1)[0].rsplit(".", 1)[1]


@dataclass
class Module:
    directory: str
    resources: list[tuple[str, str, dict]] = field(default_factory=list)  # (type, name, body)
    data: list[tuple[str, str, dict]] = field(default_factory=list)  # data sources, likewise
    locals: dict = field(default_factory=dict)


@dataclass
class Root:
    account: str  # SINGLE or the account's name
    regions: tuple[str, ...]
    calls: dict[str, str]  # module call name -> module folder


class RenderedTree:
    """Index over the parsed ``.tf`` files of one render (path -> python-hcl2 document)."""

    def __init__(self, parsed: dict[str, dict]):
        by_dir: dict[str, list[dict]] = defaultdict(list)
        for path, doc in sorted(parsed.items()):
            by_dir[posixpath.dirname(path)].append(doc)
        self.modules: dict[str, Module] = {}
        self.roots: list[Root] = []
        self._grouped: list | None = None
        self._found: dict[tuple[str, str], list[Found]] = {}
        self._every: dict[tuple[str, ...], bool] = {}
        for directory, docs in sorted(by_dir.items()):
            calls = {name: posixpath.normpath(posixpath.join(directory, unquote(body.get("source", ""))))
                     for doc in docs for name, _, body in blocks(doc, "module")}
            module = Module(directory)
            for doc in docs:
                for entry in doc.get("locals", []):
                    module.locals.update({k: v for k, v in entry.items() if k != "__is_block__"})
                module.resources += [(t, n, b) for t, n, b in blocks(doc, "resource")]
                module.data += [(t, n, b) for t, n, b in blocks(doc, "data")]
            self.modules[directory] = module
            if calls:
                account = directory.split("/", 1)[1] if directory.startswith("accounts/") else SINGLE
                regions = module.locals.get("regions")
                self.roots.append(Root(account, tuple(unquote(r) for r in regions) if isinstance(regions, list) else (), calls))

    @cached_property
    def accounts(self) -> tuple[str, ...]:
        return tuple(root.account for root in self.roots)

    @cached_property
    def organization(self) -> bool:
        return self.accounts != (SINGLE,)

    def every_account(self, accounts: tuple[str, ...]) -> bool:
        """Whether ``accounts`` names every root (asked for the same tuples again and again: remembered)."""
        known = self._every.get(accounts)
        if known is None:
            known = self._every[accounts] = set(accounts) >= self._account_set
        return known

    @cached_property
    def _account_set(self) -> frozenset[str]:
        return frozenset(self.accounts)

    def resources(self, type_: str, mode: str = "resource") -> list[Found]:
        """See ``_resources``; each (type, mode) is indexed once (the checks ask for the same types again)."""
        if (type_, mode) not in self._found:
            self._found[(type_, mode)] = self._resources(type_, mode)
        return self._found[(type_, mode)]

    def _resources(self, type_: str, mode: str) -> list[Found]:
        """Every resource (``mode="data"``: data source) of this type in a called module, one entry per (call name,
        block) and per instance of a ``for_each`` over a literal map, in address order."""
        found = []
        for call, directory, accounts in self._calls():
            module = self.modules.get(directory)
            if module is None:
                continue
            for rtype, name, body in (module.data if mode == "data" else module.resources):
                if rtype != type_:
                    continue
                base = f"module.{call}.{'data.' if mode == 'data' else ''}{rtype}.{name}"
                for_each = body.get("for_each")
                entries = self._literal_map(module, for_each)
                if entries is None:
                    found.append(Found(base, accounts, body))
                    continue
                resolve = _resolver(body)
                found += [Found(f'{base}["{key}"]', accounts, resolve(value)) for key, value in entries.items()]
        return sorted(found, key=lambda f: f.address)

    def _calls(self):
        """(call name, module folder, accounts of the roots that make it) for every distinct module call."""
        if self._grouped is None:
            grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
            for root in self.roots:
                for name, directory in root.calls.items():
                    grouped[(name, directory)].append(root.account)
            self._grouped = [(name, directory, tuple(accounts)) for (name, directory), accounts in sorted(grouped.items())]
        return self._grouped

    @staticmethod
    def _literal_map(module: Module, for_each) -> dict | None:
        if isinstance(for_each, dict):  # an inline literal map
            return {label(k): v for k, v in for_each.items() if k != "__is_block__"}
        if not isinstance(for_each, str):
            return None
        match = re.fullmatch(r"\$\{local\.(\w+)\}", for_each)
        value = module.locals.get(match.group(1)) if match else None
        if isinstance(value, dict):
            return {label(k): v for k, v in value.items() if k != "__is_block__"}
        return None


def _resolver(body: dict):
    """The function of a ``for_each`` entry that gives ``body`` with each ``${each.value.<x>}`` replaced by the entry's
    field (``${each.value}`` by the entry); a body that names none is shared by every entry (bodies are read-only)."""
    whole = [key for key, item in body.items() if item == "${each.value}"]
    fields = [(key, match.group(1)) for key, item in body.items()
              if isinstance(item, str) and (match := _EACH_VALUE.match(item))]

    def resolve(value) -> dict:
        if not isinstance(value, dict):
            return dict(body, **dict.fromkeys(whole, value)) if whole else body
        if not fields:
            return body
        out = dict(body)
        for key, name in fields:
            if name in value:
                out[key] = value[name]
        return out

    return resolve


def literal(body: dict, key: str, default=None):
    """An attribute as a Python value (strings unquoted); ``default`` when absent."""
    value = body.get(key, default)
    return unquote(value) if isinstance(value, str) else value


def nested(body: dict, key: str) -> list[dict]:
    """The nested blocks ``key`` of a body (python-hcl2 gives a list of dicts)."""
    value = body.get(key, [])
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def local_entries(tree: RenderedTree, type_: str, local: str) -> list[tuple[Found, str, dict]]:
    """(the resource, key, entry) for each entry of the literal ``locals`` map ``local`` in every module that
    creates ``type_`` (e.g. Config rules: the ``rules`` map behind ``aws_config_config_rule.this``)."""
    out = []
    for call, directory, accounts in tree._calls():
        module = tree.modules.get(directory)
        value = module.locals.get(local) if module else None
        if not isinstance(value, dict):
            continue
        for rtype, name, body in module.resources:
            if rtype == type_:
                found = Found(f"module.{call}.{rtype}.{name}", accounts, body)
                out += [(found, label(k), v) for k, v in value.items() if k != "__is_block__" and isinstance(v, dict)]
    return out
