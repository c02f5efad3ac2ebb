"""What a regeneration changes, as data: the review ``build_review`` returns and ``format_review`` prints."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Change:
    """One line of the security summary.

    ``area``: ``regions`` or the module it concerns (``iam``, ``kms``, ...), ``root`` for the root
    configuration; ``action``: ``added``, ``removed`` or ``changed``; ``text``: the line a reviewer reads
    (names in backticks); ``addresses``: the Terraform addresses it is about (block level, moved ones under
    their new address).
    """

    area: str
    action: str
    text: str
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileDiff:
    """One file that differs: ``status`` ``added``, ``removed`` or ``modified``; ``diff`` a unified diff."""

    path: str
    status: str
    diff: str


@dataclass(frozen=True)
class Replacement:
    """One argument whose change makes Terraform replace (destroy, then create) one resource instance that both trees
    declare: ``old`` and ``new`` as a reviewer reads them (``(known after apply)`` for a value Terraform learns
    only while it applies: the ARN of a resource it replaces too). See review/replacements.py."""

    address: str
    argument: str
    old: str
    new: str


@dataclass(frozen=True)
class Review:
    """Everything a render would change in a tree, for a reviewer.

    ``destroyed``: Terraform addresses (instance level where the keys are known statically) in the old
    tree and not in the new one, minus those the new tree's ``moved`` blocks carry over; ``moved``: the
    (from, to) pairs of those blocks that apply to the old tree; ``notes``: what limited the review (files
    that do not parse).
    """

    summary: tuple[Change, ...]
    destroyed: tuple[str, ...]
    moved: tuple[tuple[str, str], ...]
    files: tuple[FileDiff, ...]
    empty: bool
    notes: tuple[str, ...] = ()
    imports: tuple[str, ...] = ()  # import blocks added (adopted) or removed (nothing changes in AWS): review/imports.py
    replaced: tuple[Replacement, ...] = ()  # what Terraform destroys and creates again: review/replacements.py
    benchmark: tuple[str, ...] = ()  # controls whose verdict changes (review/verdicts.py)
    warnings: tuple[str, ...] = ()  # profile warnings added, resolved or reworded (review/verdicts.py)
    deviations: tuple[str, ...] = ()  # exceptions (accepted deviations) added, removed or changed (review/verdicts.py)
    # (account name, id) of the account roots: the formats list the same file diff in many of them once (file_fanout);
    # not part of the json (which lists every file)
    account_ids: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    def to_dict(self) -> dict:
        data = asdict(self)
        del data["account_ids"]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Review":
        """The inverse of ``to_dict`` (and of the json format after ``json.loads``)."""
        return cls(
            summary=tuple(Change(c["area"], c["action"], c["text"], tuple(c["addresses"])) for c in data["summary"]),
            destroyed=tuple(data["destroyed"]),
            moved=tuple((m[0], m[1]) for m in data["moved"]),
            files=tuple(FileDiff(f["path"], f["status"], f["diff"]) for f in data["files"]),
            empty=bool(data["empty"]),
            notes=tuple(data.get("notes", ())),
            imports=tuple(data.get("imports", ())),
            replaced=tuple(Replacement(r["address"], r["argument"], r["old"], r["new"]) for r in data.get("replaced", ())),
            benchmark=tuple(data.get("benchmark", ())),
            warnings=tuple(data.get("warnings", ())),
            deviations=tuple(data.get("deviations", ())),
        )
