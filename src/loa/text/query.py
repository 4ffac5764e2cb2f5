"""Search and watch queries: AND/OR/NOT, "phrases", NEAR proximity, diacritic-insensitive.

One parser serves the search box, saved queries and monitored-entity rules. A query
is parsed once into a small tree that can match a document's folded tokens directly,
or be rendered for SQLite FTS5 or PostgreSQL tsquery.

Syntax (operators in capitals, Vietnamese forms accepted):
    evn "giá điện"            both (AND is implicit; VÀ also works)
    evn OR pvn                either (HOẶC, |)
    evn -xăng  /  evn NOT xăng   without (KHÔNG)
    NEAR(giá điện, 5)  /  giá NEAR/5 điện   within five words
    (evn OR pvn) "tăng giá"   grouping
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from loa.text.folding import fold_chars
from loa.text.normalization import normalize

_WORD = re.compile(r"\w+")


class QueryError(ValueError):
    """The query cannot be parsed. The message says where, in Vietnamese (for the command
    line); `code` and `token` let the web pages say it in the reader's language
    (loa.articles.search.query_error_message)."""

    def __init__(self, message: str, *, code: str = "", token: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.token = token


NO_POSITIVE = "no_positive"


def _no_positive() -> QueryError:
    return QueryError("Truy vấn cần ít nhất một từ không bị loại trừ.", code=NO_POSITIVE)


@dataclass(frozen=True)
class Phrase:
    """One word or consecutive words (a written term may split: "60-KL/ĐUK")."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Near:
    left: Phrase
    right: Phrase
    distance: int


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Phrase | Near | Not | And | Or

_TOKEN = re.compile(
    r'\s*(?:(?P<quote>"[^"]*"?)|(?P<near>NEAR\s*\()|(?P<nearop>NEAR/\d+)|(?P<lparen>\()|(?P<rparen>\))'
    r"|(?P<comma>,)|(?P<or>\|)|(?P<minus>-(?=\S))|(?P<word>[^\s()\"|,]+))"
)
_OR = {"or", "hoac", "hoặc"}
_AND = {"and", "va", "và"}
_NOT = {"not", "khong", "không"}


def _phrase(text: str) -> Phrase | None:
    words = tuple(_WORD.findall(fold_chars(normalize(text))))
    return Phrase(words) if words else None


def _lex(query: str) -> list[tuple[str, str]]:
    tokens = []
    position = 0
    query = query.replace("“", '"').replace("”", '"')
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup
        assert kind is not None
        value = match.group(kind)
        if kind == "word":
            lowered = fold_chars(value)
            if value.isupper() or value in ("và", "hoặc", "không"):
                if lowered in _OR or value == "HOẶC":
                    kind = "or"
                elif lowered in _AND:
                    kind = "and"
                elif lowered in _NOT:
                    kind = "not"
        tokens.append((kind, value))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.index = 0

    def peek(self) -> str | None:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node | None:
        node = self.parse_or()
        if self.peek() is not None:
            token = self.tokens[self.index][1]
            raise QueryError(f"Không hiểu “{token}” trong truy vấn.", code="unexpected", token=token)
        return node

    def parse_or(self) -> Node | None:
        children = [self.parse_and()]
        while self.peek() == "or":
            self.take()
            children.append(self.parse_and())
        present = tuple(c for c in children if c is not None)
        if not present:
            return None
        return present[0] if len(present) == 1 else Or(present)

    def parse_and(self) -> Node | None:
        children: list[Node] = []
        while self.peek() not in (None, "or", "rparen", "comma"):
            if self.peek() == "and":
                self.take()
                continue
            node = self.parse_unary()
            if node is not None:
                children.append(node)
        if not children:
            return None
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self) -> Node | None:
        kind = self.peek()
        if kind in ("minus", "not"):
            self.take()
            child = self.parse_unary()
            return Not(child) if child is not None else None
        return self.parse_primary()

    def parse_primary(self) -> Node | None:
        kind, value = self.take()
        if kind == "lparen":
            node = self.parse_or()
            if self.peek() != "rparen":
                raise QueryError("Thiếu dấu “)”.", code="missing_paren")
            self.take()
            return node
        if kind == "near":
            return self.parse_near_call()
        if kind == "quote":
            return _phrase(value.strip('"'))
        if kind == "word":
            left = _phrase(value)
            if self.peek() == "nearop":
                distance = int(self.take()[1].split("/", 1)[1])
                right_kind, right_value = self.take() if self.peek() else ("", "")
                right = _phrase(right_value.strip('"')) if right_kind in ("word", "quote") else None
                if left is None or right is None:
                    raise QueryError("NEAR/n cần một từ ở mỗi bên.", code="near_sides")
                return Near(left, right, distance)
            return left
        if kind in ("rparen", "comma"):
            raise QueryError(f"Không hiểu “{value}” trong truy vấn.", code="unexpected", token=value)
        return None

    def parse_near_call(self) -> Node:
        words: list[Phrase] = []
        distance = 10
        while self.peek() not in (None, "rparen"):
            kind, value = self.take()
            if kind == "comma":
                number = self.take()[1] if self.peek() == "word" else ""
                if not number.isdigit():
                    raise QueryError("NEAR(…, n) cần một số chỉ khoảng cách.", code="near_distance")
                distance = int(number)
            elif kind in ("word", "quote"):
                phrase = _phrase(value.strip('"'))
                if phrase is not None:
                    words.append(phrase)
        if self.peek() != "rparen":
            raise QueryError("Thiếu dấu “)” sau NEAR.", code="near_paren")
        self.take()
        if len(words) != 2:
            raise QueryError("NEAR(a b, n) cần đúng hai từ hoặc cụm từ.", code="near_terms")
        return Near(words[0], words[1], distance)


def parse(query: str) -> Node | None:
    """The query as a tree; None for a query with no searchable word."""
    return _Parser(_lex(query)).parse()


# --- matching a document -------------------------------------------------------------


class Document:
    """Folded word positions of a text, for evaluating queries without a database."""

    def __init__(self, text: str, *, folded: bool = False) -> None:
        source = text if folded else fold_chars(text)
        self.positions: dict[str, list[int]] = {}
        for index, match in enumerate(_WORD.finditer(source)):
            self.positions.setdefault(match.group(0), []).append(index)

    def phrase_starts(self, phrase: Phrase) -> list[int]:
        first = self.positions.get(phrase.words[0], [])
        if len(phrase.words) == 1:
            return first
        rest = [set(self.positions.get(word, ())) for word in phrase.words[1:]]
        return [p for p in first if all(p + i + 1 in words for i, words in enumerate(rest))]


def matches(node: Node | None, document: Document) -> bool:
    if node is None:
        return False
    if isinstance(node, Phrase):
        return bool(document.phrase_starts(node))
    if isinstance(node, Near):
        lefts, rights = document.phrase_starts(node.left), document.phrase_starts(node.right)
        return any(abs(a - b) <= node.distance for a in lefts for b in rights)
    if isinstance(node, Not):
        return not matches(node.child, document)
    if isinstance(node, And):
        return all(matches(child, document) for child in node.children)
    return any(matches(child, document) for child in node.children)


def positive_phrases(node: Node | None, negated: bool = False) -> Iterator[Phrase]:
    """The phrases a match may show (for highlighting): those not under a NOT."""
    if node is None:
        return
    if isinstance(node, Phrase):
        if not negated:
            yield node
    elif isinstance(node, Near):
        if not negated:
            yield node.left
            yield node.right
    elif isinstance(node, Not):
        yield from positive_phrases(node.child, not negated)
    else:
        for child in node.children:
            yield from positive_phrases(child, negated)


def has_positive(node: Node | None) -> bool:
    return next(positive_phrases(node), None) is not None


# --- rendering for the search backends ---------------------------------------------


def to_fts5(node: Node) -> str:
    """FTS5 MATCH syntax. Words are quoted, so nothing typed can inject FTS5 syntax."""
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, Near):
        return f"NEAR({to_fts5(node.left)} {to_fts5(node.right)}, {node.distance})"
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5(c) for c in node.children) + ")"
    if isinstance(node, And):
        positive = [c for c in node.children if not isinstance(c, Not)]
        negative = [c.child for c in node.children if isinstance(c, Not)]
        if not positive:
            raise _no_positive()
        text = "(" + " AND ".join(to_fts5(c) for c in positive) + ")"
        for child in negative:
            text = f"({text} NOT {to_fts5(child)})"
        return text
    raise _no_positive()


def to_tsquery(node: Node) -> str:
    """PostgreSQL tsquery for the 'simple' configuration over folded text."""
    if isinstance(node, Phrase):
        words = [f"'{w}'" for w in node.words]
        return words[0] if len(words) == 1 else "(" + " <-> ".join(words) + ")"
    if isinstance(node, Near):
        left, right = to_tsquery(node.left), to_tsquery(node.right)
        options = [f"({left} <{d}> {right})" for d in range(1, node.distance + 1)]
        options += [f"({right} <{d}> {left})" for d in range(1, node.distance + 1)]
        return "(" + " | ".join(options) + ")"
    if isinstance(node, Not):
        return f"!{to_tsquery(node.child)}"
    if isinstance(node, And):
        return "(" + " & ".join(to_tsquery(c) for c in node.children) + ")"
    return "(" + " | ".join(to_tsquery(c) for c in node.children) + ")"
