"""Policy documents (``data "aws_iam_policy_document"``) compared statement by statement."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .context import Context, reference, sibling
from .tree import Block
from .direction import set_verdict
from .values import plain, plus_minus, scalars

_ACCOUNT = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")
_FIELDS = ("effect", "actions", "not_actions", "resources", "not_resources", "principals", "not_principals", "condition")


@dataclass(frozen=True)
class Statement:
    sid: str
    effect: str
    actions: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]  # every field in plain words, to compare
    resources: tuple[str, ...] = ()

    def summary(self) -> str:
        """``Deny iam:Create*, iam:Delete* … 3 more for cloudtrail.amazonaws.com``."""
        fields = dict(self.fields)
        shown = list(self.actions[:4]) + ([f"… {len(self.actions) - 4} more"] if len(self.actions) > 4 else [])
        text = f"{self.effect} {', '.join(shown)}" if shown else f"{self.effect} all actions except {fields.get('not_actions', '')}"
        if fields.get("principals"):
            text += f" for {fields['principals']}"
        return text


def statements(doc: dict | None) -> dict[str, Statement]:
    """The statements of a policy document body, by sid (or position when they have none)."""
    out = {}
    for i, raw in enumerate((doc or {}).get("statement", [])):
        sid = plain(raw["sid"]) if "sid" in raw else f"#{i + 1}"
        effect = plain(raw.get("effect", '"Allow"'))
        actions = tuple(sorted(scalars(raw.get("actions")) or []))
        fields = []
        for name in _FIELDS:
            value = raw.get(name)
            if name in ("principals", "not_principals", "condition") and isinstance(value, list):
                fields.append((name, "; ".join(_nested(name, v) for v in value)))
            elif value is not None:
                fields.append((name, plain(value)))
        out[sid] = Statement(sid, effect, actions, tuple(fields), tuple(scalars(raw.get("resources")) or ()))
    return out


def _nested(name: str, block: dict) -> str:
    if name == "condition":
        return f"{plain(block.get('test'))} {plain(block.get('variable'))} {plain(block.get('values'))}"
    identifiers = scalars(block.get("identifiers")) or [plain(block.get("identifiers"))]
    return ", ".join(identifiers)


def statement_phrases(old: dict | None, new: dict | None, *, with_actions: bool = True,
                      explained: dict[str, set[str]] | None = None, names: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(action, phrase) per statement added, removed or changed; action lists as ``+a, -b`` when
    ``with_actions`` (otherwise action-only changes are left to the caller). ``explained``: sid -> the fields an
    effect line already said (Context.explained), left out here. Resources that differ only in the accounts they
    name read as the accounts a statement now covers (``names``: account id -> account name)."""
    a, b = statements(old), statements(new)
    out = []
    for sid in [s for s in b if s not in a]:
        out.append(("added", f"statement `{sid}` added ({b[sid].summary()})"))
    for sid in [s for s in a if s not in b]:
        out.append(("removed", f"statement `{sid}` removed ({a[sid].summary()})"))
    for sid in [s for s in b if s in a and a[s] != b[s]]:
        before, after = dict(a[sid].fields), dict(b[sid].fields)
        if with_actions and a[sid].actions != b[sid].actions:
            out.append(("changed", f"statement `{sid}` {plus_minus(list(a[sid].actions), list(b[sid].actions))}"))
        said = (explained or {}).get(sid, set())
        if "principals" not in said and before.get("principals") != after.get("principals"):
            said = said | {"principals"}
            out.append(("changed", f"statement `{sid}` principals {_principals(a[sid], b[sid])}"))
        if "resources" not in said and before.get("resources") != after.get("resources"):
            accounts = _accounts(a[sid].resources, b[sid].resources, names or {})
            if accounts:
                said = said | {"resources"}
                out.append(("changed", f"statement `{sid}` {accounts}"))
        other = [f for f in _FIELDS if f != "actions" and f not in said and before.get(f) != after.get(f)]
        if other:
            out.append(("changed", f"statement `{sid}` changed: {', '.join(other)}"))
    return out


def _accounts(old: tuple[str, ...], new: tuple[str, ...], names: dict[str, str]) -> str | None:
    """``now also covers account 666666666666 (payments-dev)`` when the two resource lists differ only in account ids."""
    def shape(resources):
        return {_ACCOUNT.sub("<account>", r) for r in resources}
    if not old or not new or shape(old) != shape(new):
        return None
    a = {m for r in old for m in _ACCOUNT.findall(r)}
    b = {m for r in new for m in _ACCOUNT.findall(r)}
    def words(ids):
        return ", ".join(f"{i} ({names[i]})" if i in names else i for i in sorted(ids))
    parts = ([f"now also covers account{'s' if len(b - a) > 1 else ''} {words(b - a)}"] if b - a else []) + \
            ([f"no longer covers account{'s' if len(a - b) > 1 else ''} {words(a - b)}"] if a - b else [])
    return "; ".join(parts) or None


def _principals(old: Statement, new: Statement) -> str:
    """``+a, -b`` of the principals, and the direction: more principals on an Allow is weaker, on a Deny stronger."""
    def listed(st: Statement) -> set[str]:
        text = dict(st.fields).get("principals", "")
        return {p for part in text.split("; ") for p in part.split(", ") if p}
    a, b = listed(old), listed(new)
    added, removed = b - a, a - b
    if new.effect == "Deny":
        added, removed = removed, added
    return plus_minus(sorted(a), sorted(b)) + set_verdict("trust.principals", added, removed)


def document_address(block: Block, attribute: str = "policy") -> str | None:
    """The policy document block an attribute (``policy = data.aws_iam_policy_document.x.json``) uses."""
    name = reference(block.body.get(attribute), "data.aws_iam_policy_document")
    return sibling(block, "aws_iam_policy_document", name, mode="data") if name else None


def document(ctx: Context, side: str, block: Block | None, attribute: str = "policy") -> tuple[str | None, dict | None]:
    """The policy document an attribute of ``block`` uses, with the statements of its ``source_policy_documents``
    first, as Terraform merges them: the whole policy IAM gets."""
    if block is None:
        return None, None
    address = document_address(block, attribute)
    found = ctx.block(side, address) if address else None
    return address, (composed_body(ctx, side, found) if found else None)


def composed_body(ctx: Context, side: str, doc: Block, depth: int = 0) -> dict:
    sources = doc.body.get("source_policy_documents")
    if not isinstance(sources, list) or depth > 8:
        return doc.body
    taken = []
    for value in sources:
        name = reference(value, "data.aws_iam_policy_document")
        source = ctx.block(side, sibling(doc, "aws_iam_policy_document", name, mode="data")) if name else None
        if source is not None:
            taken += composed_body(ctx, side, source, depth + 1).get("statement", [])
    return {**doc.body, "statement": taken + list(doc.body.get("statement", []))}


def allowed_and_denied(doc: dict | None) -> tuple[set[str], set[str]]:
    allowed, denied = set(), set()
    for st in statements(doc).values():
        (denied if st.effect == "Deny" else allowed).update(st.actions)
    return allowed, denied
