"""A small HTML tree (standard library only) to check the structure of the questionnaire's pages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass
class Node:
    """An element with its attributes, children and text."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    parts: list[str | Node] = field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        """Descendants with this tag whose attributes hold these values (class: one of them)."""
        found = []
        for node in self.iter():
            if node is self or node.tag != tag:
                continue
            if all(_matches(node, name.rstrip("_"), value) for name, value in attrs.items()):
                found.append(node)
        return found

    def find(self, tag: str, **attrs: str) -> Node:
        """The first such descendant (AssertionError when there is none)."""
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]

    def by_id(self, element_id: str) -> Node:
        """The element with this id."""
        for node in self.iter():
            if node.attrs.get("id") == element_id:
                return node
        raise AssertionError(f"no element with id {element_id}")

    @property
    def text(self) -> str:
        """The text inside, with white space collapsed."""
        pieces = [part if isinstance(part, str) else part.text for part in self.parts]
        return " ".join(" ".join(pieces).split())

    def label_of(self, control: Node) -> str:
        """The text of the <label for=...> of a control on this page."""
        return self.find("label", for_=control.attrs["id"]).text


def _matches(node: Node, name: str, value: str) -> bool:
    if name == "class":
        return value in node.attrs.get("class", "").split()
    return node.attrs.get(name) == value


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("document")
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        self.current.parts.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        self.current.parts.append(node)

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.parts.append(data)


def parse(html: str | bytes) -> Node:
    """Parse a page into a tree."""
    builder = _Builder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    return builder.root
