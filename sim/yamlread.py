"""Scenario files come from strangers: read YAML into plain data with marks, never code, bounded."""

from __future__ import annotations

import math
import os
import re
import stat
import sys
from collections.abc import Callable
from typing import Any

import yaml
from yaml.resolver import Resolver

from sim.plain import FrozenValue, set_field
from sim.problems import InputProblems, Problem
from sim.safetext import is_unsafe_char

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null"))
_MAP, _SEQ, _MERGE = _CORE + "map", _CORE + "seq", _CORE + "merge"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_OLD_OCTAL = re.compile(r"[-+]?0[0-7_]+")
_resolve: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = Resolver().resolve
_MAX_PROBLEMS = 100
_INTERNED_LENGTH = 64
"""Text values and keys up to this long (ids, references, names) are interned: every copy of
an id in a file is then one string object, the same as the names in the engine's compiled
conditions, so the engine's lookups by id match by identity instead of comparing the text
(docs/performance.md, ninth round). Interned strings are freed when no longer used."""
_intern = sys.intern
_INVALID: Any = object()  # a scalar that does not fit its explicit tag


# The classes here are frozen values written as plain classes (sim/plain.py): declaring
# dataclasses costs start-up time on every `tabletop validate`.


class Mark(FrozenValue):
    """A 1-based line and column."""

    __slots__ = ("col", "line")
    _fields = ("line", "col")
    line: int
    col: int

    def __init__(self, line: int, col: int) -> None:
        set_field(self, "line", line)
        set_field(self, "col", col)


class Limits(FrozenValue):
    """What a file may hold at most."""

    _fields = (
        "max_bytes",
        "max_depth",
        "max_nodes",
        "max_scalar_chars",
        "max_aliases",
        "max_text_chars",
    )
    max_bytes: int
    max_depth: int  # nesting of mappings/sequences
    max_nodes: int  # nodes after expanding aliases (counts what a walker would see)
    max_scalar_chars: int
    max_aliases: int
    max_text_chars: int  # characters of every value and key, counting each use of an alias

    def __init__(
        self,
        max_bytes: int = 2_000_000,
        max_depth: int = 64,
        max_nodes: int = 200_000,
        max_scalar_chars: int = 100_000,
        max_aliases: int = 1_000,
        max_text_chars: int = 2_000_000,
    ) -> None:
        set_field(self, "max_bytes", max_bytes)
        set_field(self, "max_depth", max_depth)
        set_field(self, "max_nodes", max_nodes)
        set_field(self, "max_scalar_chars", max_scalar_chars)
        set_field(self, "max_aliases", max_aliases)
        set_field(self, "max_text_chars", max_text_chars)


DEFAULT_LIMITS = Limits()


class Document(FrozenValue):
    """A file read: its data, and the mark of each value and mapping key."""

    _fields = ("path", "data", "marks", "key_marks")
    path: str  # display path used in problems
    data: Any  # dict[str, Any] | list[Any] | str | int | float | bool | None
    marks: dict[Path_, Mark]  # mark of each value node; the root is ()
    key_marks: dict[Path_, Mark]  # mark of each mapping KEY node (the path includes the key)

    def __init__(
        self, path: str, data: Any, marks: dict[Path_, Mark], key_marks: dict[Path_, Mark]
    ) -> None:
        set_field(self, "path", path)
        set_field(self, "data", data)
        set_field(self, "marks", marks)
        set_field(self, "key_marks", key_marks)

    def mark(self, path: Path_) -> Mark:
        """The mark of the deepest existing prefix of ``path`` (1:1 when nothing matches)."""
        for n in range(len(path), -1, -1):
            found = self.marks.get(path[:n])
            if found is not None:
                return found
        return Mark(1, 1)


def read_yaml_text(
    text_or_bytes: str | bytes, path: str = "<string>", limits: Limits = DEFAULT_LIMITS
) -> Document:
    """Read YAML from text or bytes; raise InputProblems listing every problem found."""
    raw = text_or_bytes
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")  # a lone surrogate then fails as bad UTF-8
    if len(raw) > limits.max_bytes:
        raise InputProblems([_too_large(path, f"{len(raw):,} bytes", limits)])
    return _Reader(_decode(raw, path), path, limits).read()


def read_yaml_file(
    file: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS, display_path: str | None = None
) -> Document:
    """Read a YAML file, checking its size before reading it; raise InputProblems on any problem."""
    shown = os.fspath(file) if display_path is None else display_path
    raw = read_file_bytes(file, limits, shown)
    return _Reader(_decode(raw, shown), shown, limits).read()


def read_file_bytes(
    file: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS, display_path: str | None = None
) -> bytes:
    """A file's bytes, read only if it is a regular file within the size limit (a FIFO would
    block, /dev/zero never end, a huge file fill the memory); InputProblems otherwise."""
    shown = os.fspath(file) if display_path is None else display_path
    try:
        info = os.stat(file)
        if not stat.S_ISREG(info.st_mode):
            what = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise InputProblems([Problem(shown, 1, 1, f"cannot read the file: it is {what}")])
        if info.st_size > limits.max_bytes:
            raise InputProblems([_too_large(shown, f"{info.st_size:,} bytes", limits)])
        with open(file, "rb") as handle:
            raw = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputProblems([Problem(shown, 1, 1, f"cannot read the file: {reason}")]) from None
    if len(raw) > limits.max_bytes:  # the file grew after stat
        raise InputProblems([_too_large(shown, f"more than {limits.max_bytes:,} bytes", limits)])
    return raw


def _too_large(path: str, size: str, limits: Limits) -> Problem:
    return Problem(path, 1, 1, f"the file is too large ({size}; the limit is {limits.max_bytes:,})")


def _decode(raw: bytes, path: str) -> str:
    """Bytes to YAML-safe text, or InputProblems naming the first bad byte or character."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputProblems([Problem(path, 1, 1, "the file is UTF-16 text; save it as UTF-8")])
    if b"\x00" in raw:
        raise InputProblems([Problem(path, 1, 1, "this looks like a binary file, not YAML text")])
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8")
        line, col = _line_col(good, len(good))
        message = f"the file is not UTF-8 text (bad byte 0x{raw[exc.start]:02x})"
        raise InputProblems([Problem(path, line, col, message)]) from None
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line, col = _line_col(text, bad.start())
        message = f"the file contains a control character (U+{ord(bad.group()):04X}) YAML forbids"
        raise InputProblems([Problem(path, line, col, message)])
    return text


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]``, counting line breaks the way YAML does."""
    line, start = 1, 0
    for brk in _BREAK.finditer(text, 0, index):
        line, start = line + 1, brk.end()
    return line, index - start + 1


def _mark(event: yaml.Event) -> Mark:
    m = event.start_mark
    return Mark(1, 1) if m is None else Mark(m.line + 1, m.column + 1)


def _short(text: str) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= 60 else text[:57] + "..."


def _show_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _prescan(text: str, limits: Limits) -> tuple[Mark, str] | None:
    """The first limit the text breaks, from parser events alone, before anything is built.

    A parser that gives up first (libyaml stops flow nesting at its own depth, and a simple key
    at 1,024 characters) is asked again about the text before the place it gave up: a limit
    broken there is the problem to report, in the same words and at the same place whichever
    parser is used.
    """
    breach, stopped_at = _prescan_events(text, limits)
    if breach is None and stopped_at is not None and 0 < stopped_at < len(text):
        breach, _ = _prescan_events(text[:stopped_at], limits)
    return breach


def _prescan_events(text: str, limits: Limits) -> tuple[tuple[Mark, str] | None, int | None]:
    """The first limit broken, and the index where the parser stopped with an error (if it did).

    Counting is cheap and flat: an alias adds the size of its anchored subtree, so an alias bomb
    fails after a few dozen events, and a deep file fails at level ``max_depth + 1`` (libyaml's
    composer segfaults near 30,000 levels; the parser itself is iterative but quadratic in depth).
    Syntax errors are left for the build pass, which reports them with everything before them.
    """
    too_deep = f"nesting is deeper than {limits.max_depth} levels"
    stack: list[list[Any]] = []  # per open collection: [first node, anchor, height, first char]
    anchors: dict[str, tuple[int, int, int]] = {}  # complete anchor -> (nodes, height, chars)
    nodes = aliases = documents = chars = 0
    loader = _Loader(text)
    try:
        while (event := loader.get_event()) is not None:
            breach = None
            if isinstance(event, yaml.ScalarEvent):
                nodes += 1
                chars += len(event.value)
                if len(event.value) > limits.max_scalar_chars:
                    breach = f"a value is longer than {limits.max_scalar_chars:,} characters"
                if event.anchor is not None:
                    anchors[event.anchor] = (1, 0, len(event.value))
            elif isinstance(event, yaml.CollectionStartEvent):
                breach = too_deep if len(stack) >= limits.max_depth else None
                stack.append([nodes, event.anchor, 0, chars])
                nodes += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                first, anchor, height, first_char = stack.pop()
                if stack and stack[-1][2] <= height:
                    stack[-1][2] = height + 1
                if anchor is not None:
                    anchors[anchor] = (nodes - first, height + 1, chars - first_char)
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                size, height, length = anchors.get(event.anchor or "", (1, 0, 0))
                nodes += size
                chars += length
                if stack and stack[-1][2] < height:
                    stack[-1][2] = height
                if aliases > limits.max_aliases:
                    breach = f"the file uses more than {limits.max_aliases:,} aliases"
                elif len(stack) + height > limits.max_depth:
                    breach = too_deep
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
            if nodes > limits.max_nodes and breach is None:
                breach = f"the file has more than {limits.max_nodes:,} values (counting alias uses)"
            if chars > limits.max_text_chars and breach is None:
                breach = (
                    f"the file's text is longer than {limits.max_text_chars:,} characters "
                    "(counting alias uses)"
                )
            if breach is not None:
                return (_mark(event), breach), None
            if documents > 1 or isinstance(event, yaml.StreamEndEvent):
                break
    except yaml.MarkedYAMLError as exc:
        where = exc.problem_mark or exc.context_mark
        return None, None if where is None else _index(text, where.line, where.column)
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return None, None


class _Frame:
    """An open mapping or sequence."""

    __slots__ = (
        "anchor",
        "expect_key",
        "first_key_mark",
        "first_mark",
        "is_key",
        "key",
        "mark",
        "path",
        "seen",
        "value",
    )

    def __init__(
        self,
        value: dict[str, Any] | list[Any],
        path: Path_ | None,  # None inside something that cannot be placed (a bad key)
        is_key: bool,
        anchor: str | None,
        mark: Mark,
        first_mark: int,
        first_key_mark: int,
    ) -> None:
        self.value = value
        self.path = path
        self.is_key = is_key
        self.anchor = anchor
        self.mark = mark
        self.first_mark = first_mark
        self.first_key_mark = first_key_mark
        self.expect_key = True
        self.key: str | None = None  # the pending key; None when it was rejected
        self.seen: dict[str, int] = {}


class _Anchor:
    __slots__ = ("path", "spans", "value")

    def __init__(
        self,
        value: Any,
        path: Path_ | None,
        spans: tuple[int, int, int, int] = (0, 0, 0, 0),  # slices of the marks and key-marks
    ) -> None:
        self.value = value
        self.path = path
        self.spans = spans


class _Reader:
    """Builds plain data and marks from parser events, collecting problems as it goes."""

    def __init__(self, text: str, path: str, limits: Limits) -> None:
        self.text, self.path, self.limits = text, path, limits
        self.problems: list[Problem] = []
        self.marks: list[tuple[Path_, Mark]] = []
        self.key_marks: list[tuple[Path_, Mark]] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, _Anchor] = {}
        self.anchor_lines: dict[str, int] = {}
        self.root: Any = None
        self.empty = True

    def read(self) -> Document:
        breach = _prescan(self.text, self.limits)
        if breach is not None:
            self._add(*breach)
            raise InputProblems(self.problems)
        loader = _Loader(self.text)
        try:
            self._events(loader)
        except yaml.MarkedYAMLError as exc:
            self._syntax(exc)
        except yaml.YAMLError as exc:  # pragma: no cover - the text was checked for such errors
            self._add(Mark(1, 1), f"could not parse YAML: {str(exc).splitlines()[0]}")
        finally:
            loader.dispose()
        if self.problems:
            raise InputProblems(self.problems)
        return Document(self.path, self.root, dict(self.marks), dict(self.key_marks))

    def _events(self, loader: _Loader) -> None:
        documents = 0
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.ScalarEvent):
                self._scalar(event)
            elif isinstance(event, yaml.CollectionStartEvent):
                self._start(event, isinstance(event, yaml.MappingStartEvent))
            elif isinstance(event, yaml.CollectionEndEvent):
                self._end()
            elif isinstance(event, yaml.AliasEvent):
                self._alias(event)
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self._add(_mark(event), "expected one YAML document, found several")
                    return
            elif isinstance(event, yaml.StreamEndEvent):
                break
            if len(self.problems) >= _MAX_PROBLEMS:  # a hostile file can have one on every line
                self._add(_mark(event), "too many problems; stopped here")
                return
        if self.empty:
            self._add(Mark(1, 1), "the file is empty")

    def _add(self, mark: Mark, message: str) -> None:
        self.problems.append(Problem(self.path, mark.line, mark.col, message))

    def _slot(self) -> tuple[Path_ | None, bool]:
        """Where the next node goes: its path (None if nowhere) and whether it is a mapping key."""
        if not self.stack:
            return (), False
        top = self.stack[-1]
        if isinstance(top.value, list):
            return (None if top.path is None else (*top.path, len(top.value))), False
        if top.expect_key:
            return None, True
        if top.path is None or top.key is None:
            return None, False
        return (*top.path, top.key), False

    def _claim_anchor(self, name: str | None, mark: Mark) -> None:
        if name is None:
            return
        first = self.anchor_lines.get(name)
        if first is not None:
            self._add(mark, f"duplicate anchor '&{_short(name)}' (first at line {first})")
        else:
            self.anchor_lines[name] = mark.line

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        mark = _mark(event)
        self._claim_anchor(event.anchor, mark)
        unsafe = _first_unsafe(event.value)
        if unsafe is not None:
            self._add(mark, _unsafe_problem(unsafe))
        if not self.stack:
            self.empty = event.value == "" and event.implicit[0] and not (event.tag or event.anchor)
        path, is_key = self._slot()
        value, tag = self._convert(event, mark)
        if event.anchor is not None:
            self.anchors[event.anchor] = _Anchor(value, None)
        if not is_key:
            if path is not None:
                self.marks.append((path, mark))
            self._attach(value)
        elif tag == _MERGE:
            self._key(None, mark, "merge keys ('<<') are not supported; write the keys out")
        elif isinstance(value, str):
            self._key(value, mark, None)
        elif event.value == "":
            self._key(None, mark, "keys must be text; this key is empty")
        else:
            self._key(None, mark, f"keys must be text; quote it: '{_short(event.value)}'")

    def _convert(self, event: yaml.ScalarEvent, mark: Mark) -> tuple[Any, str]:
        """The plain value of a scalar and its resolved tag; bad values are recorded as problems."""
        text, tag = event.value, event.tag
        if tag is not None and tag not in _SCALAR_TAGS:
            self._add(mark, self._tag_problem(tag))
            tag = None
        explicit = tag is not None
        if tag is None:
            tag = _resolve(yaml.ScalarNode, text, event.implicit)
        value: Any = text
        if tag == _CORE + "null":
            value = None if text in _NULLS else _INVALID
        elif tag == _CORE + "bool":
            if text.lower() in ("true", "false"):
                value = text.lower() == "true"
            elif explicit:
                value = _INVALID
        elif tag == _CORE + "int":
            number = _int(text)
            value = number if number is not None else (_INVALID if explicit else text)
        elif tag == _CORE + "float":
            if text.lower().lstrip("+-") in (".inf", ".nan"):
                value = math.inf
            else:
                real = _float(text)
                value = real if real is not None else (_INVALID if explicit else text)
            if isinstance(value, float) and not math.isfinite(value):
                self._add(mark, "numbers must be finite")
        if value is _INVALID:
            self._add(mark, f"'{_short(text)}' is not a valid {_show_tag(tag)} value")
            value = text
        if value is text and len(text) <= _INTERNED_LENGTH:
            value = _intern(text)
        return value, tag

    def _start(self, event: yaml.CollectionStartEvent, is_map: bool) -> None:
        mark = _mark(event)
        self._claim_anchor(event.anchor, mark)
        self.empty = False
        if event.tag is not None and event.tag != (_MAP if is_map else _SEQ):
            self._add(mark, self._tag_problem(event.tag))
        path, is_key = self._slot()
        if is_key:
            self._add(mark, f"keys must be text, not a {'mapping' if is_map else 'list'}")
        elif path is not None:
            self.marks.append((path, mark))
        value: dict[str, Any] | list[Any] = {} if is_map else []
        spans = len(self.marks), len(self.key_marks)
        self.stack.append(_Frame(value, path, is_key, event.anchor, mark, *spans))

    def _end(self) -> None:
        top = self.stack.pop()
        if top.anchor is not None:
            spans = (top.first_mark, len(self.marks), top.first_key_mark, len(self.key_marks))
            self.anchors[top.anchor] = _Anchor(top.value, top.path, spans)
        if top.is_key:
            self._key(None, top.mark, None)  # already reported when it started
        else:
            self._attach(top.value)

    def _alias(self, event: yaml.AliasEvent) -> None:
        mark = _mark(event)
        name = str(event.anchor)
        self.empty = False
        path, is_key = self._slot()
        anchor = self.anchors.get(name)
        if anchor is None:
            if name in self.anchor_lines:
                self._add(mark, f"alias '*{_short(name)}' is used inside its own anchor")
            else:
                self._add(mark, f"unknown alias '*{_short(name)}'")
            anchor = _Anchor(None, None)
        value = _copy(anchor.value)  # the prescan has bounded the size and depth of every copy
        if is_key:
            bad = None if isinstance(value, str) else f"keys must be text; '*{_short(name)}' is not"
            self._key(value if bad is None else None, mark, bad)
            return
        if path is not None:
            self.marks.append((path, mark))
            if anchor.path is not None:
                cut, (m0, m1, k0, k1) = len(anchor.path), anchor.spans
                self.marks.extend(((*path, *p[cut:]), m) for p, m in self.marks[m0:m1])
                self.key_marks.extend(((*path, *p[cut:]), m) for p, m in self.key_marks[k0:k1])
        self._attach(value)

    def _attach(self, value: Any) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        else:
            if top.key is not None:
                top.value[top.key] = value
            top.expect_key = True

    def _key(self, key: str | None, mark: Mark, problem: str | None) -> None:
        top = self.stack[-1]
        top.expect_key, top.key = False, None
        if problem is not None:
            self._add(mark, problem)
        if key is None:
            return
        first = top.seen.get(key)
        if first is not None:
            self._add(mark, f"duplicate key '{_short(key)}' (first at line {first})")
            return
        top.seen[key] = mark.line
        top.key = key
        if top.path is not None:
            self.key_marks.append(((*top.path, key), mark))

    def _tag_problem(self, tag: str) -> str:
        if tag in _SCALAR_TAGS or tag in (_MAP, _SEQ):
            return f"the tag '{_show_tag(tag)}' does not fit this value"
        return f"tags are not allowed ('{_short(_show_tag(tag))}'); write plain values"

    def _syntax(self, exc: yaml.MarkedYAMLError) -> None:
        where = exc.problem_mark or exc.context_mark
        mark = Mark(1, 1) if where is None else Mark(where.line + 1, where.column + 1)
        message = f"could not parse YAML: {exc.problem or exc.context or 'invalid syntax'}"
        context = exc.context_mark
        if exc.context and context and "end of stream" in message:  # e.g. an unclosed quote
            mark = Mark(context.line + 1, context.column + 1)
            message = f"could not parse YAML: {exc.context}, {exc.problem}"
        if where is not None and _char_at(self.text, where.line, where.column) == "\t":
            message = "could not parse YAML: found a tab; indent with spaces"
        elif exc.context and context and context.line + 1 != mark.line:
            message += f" ({exc.context} at line {context.line + 1})"
        self._add(mark, message)


def _first_unsafe(text: str) -> str | None:
    """The first character that could control a terminal (escapes decoded), or None."""
    if text.isprintable() or text.replace("\n", "").replace("\t", "").isprintable():
        return None
    return next((ch for ch in text if is_unsafe_char(ch)), None)


def _unsafe_problem(ch: str) -> str:
    code = ord(ch)
    what = "a bidirectional override" if code > 0xFF else "a control character"
    return (
        f"the text contains {what} (U+{code:04X}) that could change how a terminal shows it; "
        "remove it"
    )


def _char_at(text: str, line: int, column: int) -> str:
    """The character at a 0-based line and column, or '' when there is none."""
    index = _index(text, line, column)
    return text[index : index + 1]


def _index(text: str, line: int, column: int) -> int:
    """The index in ``text`` of a 0-based line and column (the end when there is none)."""
    start = 0
    if line > 0:
        for n, brk in enumerate(_BREAK.finditer(text), 1):
            if n == line:
                start = brk.end()
                break
        else:
            return len(text)
    return min(start + column, len(text))


def _int(text: str) -> int | None:
    """An int, or None for text YAML 1.2 would not read as one (12:30, 0755) or Python can't."""
    if ":" in text or _OLD_OCTAL.fullmatch(text):
        return None
    try:
        return int(text.replace("_", ""), 0)
    except ValueError:  # e.g. '0x_' or more digits than int() accepts
        return None


def _float(text: str) -> float | None:
    if ":" in text:  # YAML 1.1 base 60 (1:30.5) stays text
        return None
    try:
        return float(text.replace("_", ""))
    except ValueError:
        return None
