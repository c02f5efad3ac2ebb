"""Compose a YAML document into nodes without recursion and within bounds: the profile is untrusted input.

PyYAML's composer recurses once per nesting level (thousands of ``[`` end in RecursionError) and lets aliases
reuse a node any number of times: nested aliases ("billion laughs") make a small file stand for billions of
values, which every later stage (locations, validation, rendering) would walk one by one. This composer reads
the same events as PyYAML's (from libyaml or from the pure-Python parser, so the nodes, tags and marks are the
same) and stops, at the event that crosses a bound, with a located :class:`ComposeLimit`:

- a collection nested more than ``MAX_DEPTH`` levels deep (also through an alias);
- aliases adding more than ``MAX_ALIAS_NODES`` nodes to the document (each alias adds every node of its
  anchor's value, counted with the aliases inside it), or an alias inside the value of its own anchor;
- a merge key (``<<``) whose value is not a mapping or a list of mappings.

Every mapping gets ``pairs``: its (key, value, merged) pairs, merged pairs first (see _merged_pairs), computed
when the mapping ends.
"""

from __future__ import annotations

from yaml import MarkedYAMLError
from yaml.composer import ComposerError
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

MAX_DEPTH = 64  # nesting levels of lists and mappings; a profile needs fewer than 10
MAX_ALIAS_NODES = 10_000  # nodes that aliases may add to one document (a 500-account profile has ~4,000 in all)
_CORE = "tag:yaml.org,2002:"
MERGE_TAG = _CORE + "merge"
ALLOWED_TAGS = {
    ScalarNode: {_CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp")},
    SequenceNode: {_CORE + "seq"},
    MappingNode: {_CORE + "map"},
}


class ComposeLimit(Exception):
    """The document crosses a bound; ``mark`` is where (a YAML mark), ``code`` the problem's code."""

    def __init__(self, mark, message: str, code: str, path: tuple = ()):
        super().__init__(message)
        self.mark, self.message, self.code, self.path = mark, message, code, path


class Reached(Exception):
    """compose(until=...) got to the character: ``path`` is the key path of the node that holds it."""

    def __init__(self, path: tuple):
        super().__init__(path)
        self.path = path


def compose_single_document(loader, until: int | None = None):
    """The root node of the one document of ``loader``'s stream, or None for an empty stream. Raises
    yaml.YAMLError for text that is not YAML (with PyYAML's wording) and ComposeLimit past a bound; with ``until`` (a
    character index), Reached when the parser gets there."""
    loader.get_event()  # stream start
    document = None
    if not loader.check_event(StreamEndEvent):
        loader.get_event()  # document start
        document = _Composer(loader).compose(until)
        loader.get_event()  # document end
    if not loader.check_event(StreamEndEvent):
        event = loader.get_event()
        raise ComposerError("expected a single document in the stream", document.start_mark,
                            "but found another document", event.start_mark)
    loader.get_event()
    return document


class _Composer:
    def __init__(self, loader):
        self.loader = loader
        self.anchors: dict = {}
        # Only a node an alias may stand for needs its size and height: an anchored node and what it holds. They are
        # counted while an anchored collection is open (``open``: those being composed) and for anchored scalars.
        self.size: dict[int, int] = {}  # id(node) -> its nodes, aliases expanded
        self.height: dict[int, int] = {}  # id(node) -> collection levels it holds (a scalar: 0)
        self.open: set[int] = set()  # anchored collections being composed
        self.alias_nodes = 0

    def compose(self, until: int | None = None):
        loader = self.loader
        stack: list = []  # open collections: [node, pending key or None]
        while True:
            try:
                if until is not None and loader.peek_event().end_mark.index > until:
                    at_end = isinstance(loader.peek_event(), SequenceEndEvent)  # after the last item: the list's path
                    raise Reached(_outside_a_key(_path(stack)[:-1] if at_end else _path(stack)))
                node = self._node(loader.get_event(), stack)
            except ComposeLimit as exc:
                exc.path = _path(stack) + exc.path
                raise
            except MarkedYAMLError as exc:  # not YAML: where in the document the parser was
                exc.profile_path = _outside_a_key(_path(stack))
                raise
            if node is None:
                continue
            if not stack:
                return node
            frame = stack[-1]
            if isinstance(frame[0], SequenceNode):
                frame[0].value.append(node)
            elif frame[1] is None:
                frame[1] = node
            else:
                frame[0].value.append((frame[1], node))
                frame[1] = None

    def _node(self, event, stack: list):
        """The node ``event`` completes, or None when it opens a collection."""
        loader = self.loader
        if isinstance(event, AliasEvent):
            node = self._alias(event, len(stack))
        elif isinstance(event, ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(ScalarNode, event.value, event.implicit)
                tag = _CORE + "str" if tag == _CORE + "value" else tag  # YAML 1.1's '=' is text to a profile
            node = self._anchored(event, ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style))
            if self.open or event.anchor is not None:
                self.size[id(node)], self.height[id(node)] = 1, 0
        elif isinstance(event, (SequenceStartEvent, MappingStartEvent)):
            if len(stack) >= MAX_DEPTH:
                raise ComposeLimit(event.start_mark, f"lists and mappings nested more than {MAX_DEPTH} levels deep; "
                                   "a profile needs a few levels", "E107")
            kind = SequenceNode if isinstance(event, SequenceStartEvent) else MappingNode
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(kind, None, event.implicit)
            node = self._anchored(event, kind(tag, [], event.start_mark, None, flow_style=event.flow_style))
            if event.anchor is not None:
                self.open.add(id(node))
            stack.append([node, None])
            return None
        else:  # the end of a sequence or a mapping
            node = stack.pop()[0]
            node.end_mark = event.end_mark
            self._close(node)
        return node

    def _anchored(self, event, node):
        anchor = event.anchor
        if anchor is not None:
            if anchor in self.anchors:
                raise ComposerError(f"found duplicate anchor {anchor!r}; first occurrence", self.anchors[anchor].start_mark,
                                    "second occurrence", event.start_mark)
            self.anchors[anchor] = node
        return node

    def _alias(self, event, depth: int):
        anchor = event.anchor
        if anchor not in self.anchors:
            raise ComposerError(None, None, f"found undefined alias {anchor!r}", event.start_mark)
        node = self.anchors[anchor]
        if id(node) in self.open:
            raise ComposeLimit(event.start_mark, f"alias *{_cut(anchor)} is inside the value of its own anchor "
                               "(a value that contains itself)", "E108")
        if depth + self.height[id(node)] > MAX_DEPTH:
            raise ComposeLimit(event.start_mark, f"alias *{_cut(anchor)} nests lists and mappings more than {MAX_DEPTH} "
                               "levels deep; a profile needs a few levels", "E107")
        self.alias_nodes += self.size[id(node)]
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise ComposeLimit(event.start_mark, f"aliases expand the document by more than {MAX_ALIAS_NODES:,} values "
                               f"(alias *{_cut(anchor)} reaches the limit); write the values out or use fewer nested aliases",
                               "E108")
        return node

    def _close(self, node) -> None:
        anchored = id(node) in self.open
        self.open.discard(id(node))
        if anchored or self.open:  # an alias may stand for it, or for a collection that holds it
            children = node.value if isinstance(node, SequenceNode) else [n for pair in node.value for n in pair]
            self.size[id(node)] = 1 + sum(self.size[id(child)] for child in children)
            self.height[id(node)] = 1 + max((self.height[id(child)] for child in children), default=0)
        if isinstance(node, MappingNode):
            node.pairs = _merged_pairs(node)


def _path(stack: list) -> tuple:
    """The key path of the node being composed: list indexes and keys as written (a key being written: '?')."""
    path = []
    for node, pending in stack:
        if isinstance(node, SequenceNode):
            path.append(len(node.value))
        elif pending is None:
            path.append("?")
        else:
            path.append(pending.value if isinstance(pending, ScalarNode) else "?")
    return tuple(path)


def _outside_a_key(path: tuple) -> tuple:
    """``path`` without a last '?' (a key not written yet or being written): the mapping's path."""
    return path[:-1] if path[-1:] == ("?",) else path


def _merged_pairs(node: MappingNode) -> list:
    """(key, value, merged) in PyYAML's merge-key order: the pairs of ``<<: [*a, *b]`` (a's, then b's), then the
    mapping's own. YAML's rules are the reader's to apply: an own key overrides a merged one, and of two merged
    pairs of one key the first (a's) wins.
    """
    merged, own = [], []
    for key, value in node.value:
        if not (isinstance(key, ScalarNode) and key.tag == MERGE_TAG):
            own.append((key, value, False))
            continue
        sources = value.value if isinstance(value, SequenceNode) else [value]
        if isinstance(value, SequenceNode) and tag_problem(value):
            raise ComposeLimit(key.start_mark, tag_problem(value), "E105", ("<<",))
        for source in sources:
            # at the << (a merged alias's own mark is where its anchor is)
            if not isinstance(source, MappingNode):
                raise ComposeLimit(key.start_mark, "a merge key (<<) takes a mapping, an alias of one or a list of "
                                   "them", "E109", ("<<",))
            if tag_problem(source):
                raise ComposeLimit(key.start_mark, tag_problem(source), "E105", ("<<",))
            merged.extend((k, v, True) for k, v, _ in source.pairs)
    return merged + own if merged else own


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def tag_problem(node) -> str | None:
    """Why ``node``'s tag is not allowed in a profile, or None: plain YAML values only, no language objects."""
    if node.tag in ALLOWED_TAGS[type(node)]:
        return None
    tag = "!!" + node.tag[len(_CORE):] if node.tag.startswith(_CORE) else node.tag
    return f"tag {_cut(tag)} is not allowed; a profile holds plain values only: text, numbers, true/false, null, lists and mappings"
