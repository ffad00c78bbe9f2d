"""The hardened YAML reader: golden hostile files, generated hostile files, marks, and fuzzing."""

from __future__ import annotations

import ast
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import yamlread
from sim.problems import InputProblems
from sim.safetext import is_unsafe_char
from sim.yamlread import DEFAULT_LIMITS, Document, Limits, Mark, read_yaml_file, read_yaml_text

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"
GOLDEN = sorted(p for p in HOSTILE.iterdir() if p.suffix in (".yaml", ".bin"))
HAS_C = yaml.__with_libyaml__  # then sim.yamlread parses with libyaml


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a test with the C parser (when PyYAML has it) and with the pure-Python fallback."""
    if request.param == "libyaml" and not HAS_C:
        pytest.skip("PyYAML was built without libyaml")
    if request.param == "pure-python":
        monkeypatch.setattr(yamlread, "_Loader", yaml.SafeLoader)
    yield request.param


def problems(
    source: str | bytes, limits: Limits = DEFAULT_LIMITS, path: str = "t.yaml"
) -> list[str]:
    with pytest.raises(InputProblems) as caught:
        read_yaml_text(source, path, limits)
    return [str(p) for p in caught.value.problems]


class EventCount:
    """How many parser events the reader pulled: its work, counted instead of timed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.events = 0
        base = yamlread._Loader
        counter = self

        class Counting(base):  # type: ignore[misc, valid-type]
            def get_event(self) -> yaml.Event | None:
                counter.events += 1
                return super().get_event()  # type: ignore[no-any-return]

        monkeypatch.setattr(yamlread, "_Loader", Counting)


@pytest.fixture
def work(loader: str, monkeypatch: pytest.MonkeyPatch) -> EventCount:
    """Counts the parser events pulled, with whichever parser ``loader`` chose."""
    return EventCount(monkeypatch)


# --- golden hostile files ----------------------------------------------------------------------


@pytest.mark.parametrize("source", GOLDEN, ids=[p.name for p in GOLDEN])
def test_golden_file(source: Path, loader: str) -> None:
    expected = source.with_suffix(".expected")
    if loader == "pure-python" and source.with_suffix(".py.expected").exists():
        expected = source.with_suffix(".py.expected")  # PyYAML words some syntax errors differently
    want = expected.read_text(encoding="utf-8").splitlines()
    try:
        read_yaml_file(source, display_path=source.name)
    except InputProblems as exc:
        got = [str(p) for p in exc.problems]
    else:
        got = []
    assert got == want


def test_every_golden_file_has_an_expectation() -> None:
    assert len(GOLDEN) >= 20
    for source in GOLDEN:
        assert source.with_suffix(".expected").exists(), source.name


def test_good_golden_files_read_as_plain_data() -> None:
    bom = read_yaml_file(HOSTILE / "bom_ok.yaml")
    assert bom.data == {"scenario": "BOM is fine", "actors": ["a", "b"]}
    assert bom.key_marks[("scenario",)] == Mark(1, 1)  # the BOM does not shift columns
    assert read_yaml_file(HOSTILE / "list_root_ok.yaml").data == [{"name": "a"}, {"name": "b"}]


def test_display_path_defaults_to_the_path_given() -> None:
    with pytest.raises(InputProblems) as caught:
        read_yaml_file(HOSTILE / "empty.yaml")
    assert caught.value.problems[0].path == str(HOSTILE / "empty.yaml")


def test_python_tags_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"a: !!python/object/apply:os.system ['touch {marker}']\n"
    text += f"b: !!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path ['{marker}']]\n"
    assert len(problems(text)) == 3
    assert not marker.exists()


def test_the_module_never_calls_a_yaml_constructor() -> None:
    tree = ast.parse(Path(yamlread.__file__).read_text(encoding="utf-8"))
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert not names & {
        "load",
        "safe_load",
        "full_load",
        "unsafe_load",
        "load_all",
        "construct_document",
    }


# --- generated hostile input: limits ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param("[" * 50_000 + "]" * 50_000, "1:65", id="flow-sequences"),
        pytest.param("{a: " * 50_000 + "1" + "}" * 50_000, "1:257", id="flow-mappings"),
        pytest.param(
            "".join(" " * i + "a:\n" for i in range(1_500)) + " " * 1_500 + "1\n",
            "65:65",
            id="block",
        ),
        pytest.param("- " * 50_000 + "x\n", "1:129", id="block-sequences"),
        pytest.param("[" * 1_999_000, "1:65", id="max-size-unclosed"),
        pytest.param("a: 1\nb: " + "[" * 5_000, "2:67", id="after-other-keys"),
    ],
)
def test_deep_nesting_is_refused_without_crashing(text: str, where: str, work: EventCount) -> None:
    """One problem, at the first level too deep, after a few events, whatever the parser."""
    found = problems(text)
    assert len(found) == 1
    assert found[0].startswith(f"t.yaml:{where}: ")
    assert "64" in found[0]  # the limit the user broke is named
    assert work.events <= 4 * (DEFAULT_LIMITS.max_depth + 10)


def test_nesting_at_the_limit_is_fine_and_one_more_is_not() -> None:
    assert read_yaml_text("[" * 64 + "]" * 64).data is not None
    assert problems("[" * 65 + "]" * 65) == ["t.yaml:1:65: nesting is deeper than 64 levels"]
    assert problems("a: [[x]]\n", Limits(max_depth=2)) == [
        "t.yaml:1:5: nesting is deeper than 2 levels"
    ]


def test_aliases_cannot_nest_past_the_depth_limit() -> None:
    text = "a: &a " + "[" * 40 + "]" * 40 + "\nb: &b [" + "[" * 30 + "*a" + "]" * 30 + "]\n"
    assert problems(text) == ["t.yaml:2:38: nesting is deeper than 64 levels"]


def test_alias_bomb_is_refused_after_a_few_events(work: EventCount) -> None:
    text = (HOSTILE / "alias_bomb.yaml").read_text(encoding="utf-8")
    assert len(problems(text)) == 1
    assert work.events < 100


def test_ten_thousand_aliases() -> None:
    text = "a: &a x\nb: [" + "*a, " * 10_000 + "]\n"
    assert problems(text) == ["t.yaml:2:4005: the file uses more than 1,000 aliases"]
    assert len(read_yaml_text(text, limits=Limits(max_aliases=10_000)).data["b"]) == 10_000


def test_long_scalars() -> None:
    assert problems("a: " + "x" * 100_001 + "\n") == [
        "t.yaml:1:4: a value is longer than 100,000 characters"
    ]
    assert len(read_yaml_text("a: " + "x" * 100_000 + "\n").data["a"]) == 100_000
    assert problems("a: 'abcdef'\n", Limits(max_scalar_chars=5)) == [
        "t.yaml:1:4: a value is longer than 5 characters"
    ]


def test_node_limit_counts_alias_uses() -> None:
    limits = Limits(max_nodes=10)
    assert read_yaml_text("a: &a [1, 2]\nb: *a\n", limits=limits).data == {
        "a": [1, 2],
        "b": [1, 2],
    }  # root, key a, [1,2] = 3 nodes, key b, alias of 3 nodes: 1 + 1 + 3 + 1 + 3 = 9
    assert problems("a: &a [1, 2]\nb: *a\nc: 1\n", limits) == [
        "t.yaml:3:4: the file has more than 10 values (counting alias uses)"
    ]


def test_text_limit_counts_alias_uses() -> None:
    """Keys and values, each alias use adding its anchor's text: a long text aliased by many
    values is refused at the use that passes the limit (without aliases the text is never
    longer than the file)."""
    limits = Limits(max_text_chars=20)
    assert read_yaml_text("a: &a [abcd, ef]\nb: *a\n", limits=limits).data["b"] == ["abcd", "ef"]
    # a, abcd, ef, b, and the alias: 6 more = 1 + 4 + 2 + 1 + 6 = 14
    assert problems("a: &a [abcd, ef]\nb: *a\nc: *a\n", limits) == [
        "t.yaml:3:4: the file's text is longer than 20 characters (counting alias uses)"
    ]
    assert problems("a: &a abcdefghij\nb: *a\nc: *a\n", limits) == [
        "t.yaml:2:4: the file's text is longer than 20 characters (counting alias uses)"
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("".join(f"- {i}\n" for i in range(400_000))[:1_999_990], id="nodes"),
        pytest.param("a: &a x\nb: [" + "*a, " * 499_000 + "]\n", id="aliases"),
        pytest.param("a: " + "x" * 1_999_000 + "\n", id="scalar"),
        pytest.param("- !x 1\n" * 280_000, id="nodes-with-tags"),
        pytest.param("k: v\n" * 99_000, id="duplicate-keys"),  # within the node limit
        pytest.param("- !x 1\n" * 199_000, id="tags"),  # within the node limit
    ],
)
def test_hostile_files_of_the_maximum_size_are_refused_with_bounded_work(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At most two passes over the events (the prescan stops at the first limit broken)."""
    if not HAS_C:
        pytest.skip("the pure-Python parser pulls the same events, only slower")
    assert len(text.encode()) <= 2_000_000
    work = EventCount(monkeypatch)
    found = problems(text)
    assert 1 <= len(found) <= 101  # problem lists are capped at 100 + "too many problems"
    assert work.events <= 2 * (DEFAULT_LIMITS.max_nodes + 10)


def test_many_problems_are_capped() -> None:
    found = problems("k: v\n" * 500)
    assert len(found) == 101
    assert found[-1] == "t.yaml:101:1: too many problems; stopped here"
    found = problems("k: v\n" * 100 + "x: [\n")  # the syntax error arrives as problem 100
    assert len(found) == 100
    assert found[-1] == "t.yaml:102:1: could not parse YAML: did not find expected node content"


def test_oversize_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(3_000_000_000)  # sparse: reading it would take seconds and gigabytes
    tracemalloc.start()
    try:
        with pytest.raises(InputProblems) as caught:
            read_yaml_file(big, display_path="big.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # nothing of the file was read
    assert [str(p) for p in caught.value.problems] == [
        "big.yaml:1:1: the file is too large (3,000,000,000 bytes; the limit is 2,000,000)"
    ]


def test_custom_byte_limit(tmp_path: Path) -> None:
    small = Limits(max_bytes=10)
    path = tmp_path / "s.yaml"
    path.write_text("a: 12345678\n", encoding="utf-8")
    with pytest.raises(InputProblems) as caught:
        read_yaml_file(path, small, display_path="s.yaml")
    assert str(caught.value) == "s.yaml:1:1: the file is too large (12 bytes; the limit is 10)"
    assert problems("a: 12345678\n", small) == [
        "t.yaml:1:1: the file is too large (12 bytes; the limit is 10)"
    ]
    assert problems("é" * 6, small)[0].endswith("(12 bytes; the limit is 10)")  # bytes, not chars
    assert read_yaml_text("a: 1234\n", limits=small).data == {"a": 1234}


def test_unreadable_paths(tmp_path: Path) -> None:
    for target, message in [
        (tmp_path / "missing.yaml", "cannot read the file: No such file or directory"),
        (tmp_path, "cannot read the file: it is a directory"),
    ]:
        with pytest.raises(InputProblems) as caught:
            read_yaml_file(target, display_path="x")
        assert str(caught.value) == f"x:1:1: {message}"


# --- text and encodings ----------------------------------------------------------------------


def test_text_and_bytes_read_the_same() -> None:
    text = "scenario: Café\n"
    assert read_yaml_text(text).data == read_yaml_text(text.encode()).data == {"scenario": "Café"}


def test_encoding_problems() -> None:
    assert problems(b"a: 1\nb: caf\xe9\n") == [
        "t.yaml:2:7: the file is not UTF-8 text (bad byte 0xe9)"
    ]
    assert problems("a: \ud800\n") == ["t.yaml:1:4: the file is not UTF-8 text (bad byte 0xed)"]
    assert problems("a: 1\x00\n") == ["t.yaml:1:1: this looks like a binary file, not YAML text"]
    assert problems("a: 1\nb: \x1b[31m\n") == [
        "t.yaml:2:4: the file contains a control character (U+001B) YAML forbids"
    ]


def test_empty_documents() -> None:
    for text in ["", "\n\n", "# only\n# comments\n", "---\n", "--- # c\n...\n", "\ufeff"]:
        assert problems(text) == ["t.yaml:1:1: the file is empty"], text
    assert read_yaml_text("''").data == ""
    assert read_yaml_text("~").data is None


def test_multiple_documents() -> None:
    assert problems("a: 1\n...\n---\nb: 2\n") == [
        "t.yaml:3:1: expected one YAML document, found several"
    ]
    # nothing after the second '---' is parsed, so its errors are not reported
    assert problems("a: 1\n--- \n: : [\n") == [
        "t.yaml:2:1: expected one YAML document, found several"
    ]


def test_problems_before_a_syntax_error_are_kept() -> None:
    assert problems("a: 1\na: 2\nb: !foo x\nc: [\n") == [
        "t.yaml:2:1: duplicate key 'a' (first at line 1)",
        "t.yaml:3:4: tags are not allowed ('!foo'); write plain values",
        "t.yaml:5:1: could not parse YAML: did not find expected node content",
    ]


# --- data rules ------------------------------------------------------------------------------


def test_scalars_follow_the_data_rules() -> None:
    doc = read_yaml_text(
        """
        norway: [yes, no, on, off, y, n, Yes, NO]
        bools: [true, false, True, FALSE]
        nulls: [~, null, Null, '']
        empty:
        ints: [0, -12, +3, 1_000, 0x1F, 0o17, 0b101]
        floats: [1.5, -0.5, .5, 1e3, 1.0e3, 6.02e+23, 1_000.5]
        yaml11_surprises: [12:30, 09:30, 1:30.5, 0755, 00, '007']
        when: [2024-05-01, 2024-05-01T09:30:00Z, 2001-12-14 21:59:43.10 -5]
        quoted: ['1', "true", '~']
        explicit: [!!str 1, !!int '7', !!float 2, !!bool 'true', !!null '', !!str yes]
        odd: [<<, =, '<<', -, .inf text]
        """.replace("\n        ", "\n")
    )
    assert doc.data == {
        "norway": ["yes", "no", "on", "off", "y", "n", "Yes", "NO"],
        "bools": [True, False, True, False],
        "nulls": [None, None, None, ""],
        "empty": None,
        "ints": [0, -12, 3, 1000, 31, "0o17", 5],  # 0o is YAML 1.2 only: text
        "floats": [1.5, -0.5, 0.5, "1e3", "1.0e3", 6.02e23, 1000.5],  # PyYAML wants e+3
        "yaml11_surprises": ["12:30", "09:30", "1:30.5", "0755", "00", "007"],
        "when": ["2024-05-01", "2024-05-01T09:30:00Z", "2001-12-14 21:59:43.10 -5"],
        "quoted": ["1", "true", "~"],
        "explicit": ["1", 7, 2.0, True, None, "yes"],
        "odd": ["<<", "=", "<<", "-", ".inf text"],
    }
    assert [type(v) for v in doc.data["ints"]] == [int] * 5 + [str, int]
    assert type(doc.data["explicit"][2]) is float


def test_huge_integers_stay_text() -> None:
    digits = "9" * 5_000  # more digits than int() accepts by default
    assert read_yaml_text(f"a: {digits}\n").data == {"a": digits}


def test_non_finite_numbers() -> None:
    assert problems("a: [.inf, -.INF, .NaN, 1.0e+999, !!float inf]\n") == [
        f"t.yaml:1:{col}: numbers must be finite" for col in (5, 11, 18, 24, 34)
    ]


def test_bad_explicit_core_tags() -> None:
    assert problems("a: !!null x\nb: !!bool yes\nc: !!float abc\nd: !!seq {}\ne: !!str [1]\n") == [
        "t.yaml:1:4: 'x' is not a valid !!null value",
        "t.yaml:2:4: 'yes' is not a valid !!bool value",
        "t.yaml:3:4: 'abc' is not a valid !!float value",
        "t.yaml:4:4: the tag '!!seq' does not fit this value",
        "t.yaml:5:4: the tag '!!str' does not fit this value",
    ]
    assert read_yaml_text("!!map {a: !!seq [1]}").data == {"a": [1]}


def test_key_rules() -> None:
    assert problems("a: 1\n?\n: empty\n") == ["t.yaml:2:2: keys must be text; this key is empty"]
    assert problems("a: &k [1]\n*k : x\n") == ["t.yaml:2:1: keys must be text; '*k' is not"]
    assert problems("{? {a: 1} : x}") == ["t.yaml:1:4: keys must be text, not a mapping"]
    assert problems("&k c: d\n*k : e\n") == ["t.yaml:2:1: duplicate key 'c' (first at line 1)"]
    assert read_yaml_text("'1': a\n!!str 2: b\n&k c: d\nx: *k\n").data == {
        "1": "a",
        "2": "b",
        "c": "d",
        "x": "c",
    }


def test_merge_keys_are_refused_but_a_quoted_one_is_text() -> None:
    assert problems("a: {x: 1}\nb:\n  <<: {x: 1}\n") == [
        "t.yaml:3:3: merge keys ('<<') are not supported; write the keys out"
    ]
    assert read_yaml_text("'<<': 1").data == {"<<": 1}


def test_aliases_copy_data() -> None:
    doc = read_yaml_text("a: &a {x: [1, 2]}\nb: *a\n")
    assert doc.data == {"a": {"x": [1, 2]}, "b": {"x": [1, 2]}}
    assert doc.data["a"] is not doc.data["b"]
    assert doc.data["a"]["x"] is not doc.data["b"]["x"]


def test_long_keys_are_shortened_in_messages() -> None:
    key = "k" * 100
    assert problems(f"{key}: 1\n{key}: 2\n") == [
        f"t.yaml:2:1: duplicate key '{'k' * 57}...' (first at line 1)"
    ]


# --- marks -----------------------------------------------------------------------------------

MARKED = """\
scenario: Cable breach
actors:
  - id: red
    tags: [a, "b"]
  - id: blue
    notes:
      long: |
        text
injects:
  - {at: 5, from: red}
"""


def test_marks_of_values() -> None:
    doc = read_yaml_text(MARKED)
    assert doc.marks == {
        (): Mark(1, 1),
        ("scenario",): Mark(1, 11),
        ("actors",): Mark(3, 3),
        ("actors", 0): Mark(3, 5),
        ("actors", 0, "id"): Mark(3, 9),
        ("actors", 0, "tags"): Mark(4, 11),
        ("actors", 0, "tags", 0): Mark(4, 12),
        ("actors", 0, "tags", 1): Mark(4, 15),
        ("actors", 1): Mark(5, 5),
        ("actors", 1, "id"): Mark(5, 9),
        ("actors", 1, "notes"): Mark(7, 7),
        ("actors", 1, "notes", "long"): Mark(7, 13),
        ("injects",): Mark(10, 3),
        ("injects", 0): Mark(10, 5),
        ("injects", 0, "at"): Mark(10, 10),
        ("injects", 0, "from"): Mark(10, 19),
    }


def test_marks_of_keys() -> None:
    doc = read_yaml_text(MARKED)
    assert doc.key_marks == {
        ("scenario",): Mark(1, 1),
        ("actors",): Mark(2, 1),
        ("actors", 0, "id"): Mark(3, 5),
        ("actors", 0, "tags"): Mark(4, 5),
        ("actors", 1, "id"): Mark(5, 5),
        ("actors", 1, "notes"): Mark(6, 5),
        ("actors", 1, "notes", "long"): Mark(7, 7),
        ("injects",): Mark(9, 1),
        ("injects", 0, "at"): Mark(10, 6),
        ("injects", 0, "from"): Mark(10, 13),
    }


def test_document_mark_falls_back_to_the_deepest_prefix() -> None:
    doc = read_yaml_text(MARKED)
    assert doc.mark(("injects", 0, "from")) == Mark(10, 19)
    assert doc.mark(("injects", 0, "missing", 3)) == Mark(10, 5)
    assert doc.mark(("nope",)) == Mark(1, 1)
    assert doc.mark(()) == Mark(1, 1)
    assert Document("x", None, {}, {}).mark(("a",)) == Mark(1, 1)


def test_marks_through_aliases() -> None:
    doc = read_yaml_text("base: &b\n  team: red\n  n: [1]\nactor: *b\n")
    assert doc.marks[("actor",)] == Mark(4, 8)  # where the alias is written
    assert doc.marks[("actor", "team")] == Mark(2, 9)  # inside: where the anchored text is
    assert doc.marks[("actor", "n", 0)] == Mark(3, 7)
    assert doc.key_marks[("actor", "team")] == Mark(2, 3)


def test_marks_count_characters_not_bytes() -> None:
    doc = read_yaml_text("ééé: [😀, x]\n")
    assert doc.marks[("ééé", 1)] == Mark(1, 10)


# --- fuzzing ---------------------------------------------------------------------------------

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
YAMLISH = st.text(alphabet=list("ab1:-?[]{},&*!|>'\"#%@`~.<= \t\n\r\x85\ufeffé"), max_size=80)


def read_or_problems(source: str | bytes) -> None:
    try:
        doc = read_yaml_text(source, "f.yaml", Limits(max_depth=8, max_nodes=500, max_aliases=20))
    except InputProblems as exc:
        assert exc.problems
        assert all(p.line >= 1 and p.col >= 1 and p.message for p in exc.problems)
        assert "Error" not in str(exc) and "Traceback" not in str(exc)
    else:
        assert () in doc.marks


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_raise_only_input_problems(data: bytes) -> None:
    read_or_problems(data)


@FUZZ
@given(st.text(max_size=200))
def test_random_text_raises_only_input_problems(text: str) -> None:
    read_or_problems(text)


@FUZZ
@given(YAMLISH)
def test_yaml_like_text_raises_only_input_problems(text: str) -> None:
    read_or_problems(text)


SAFE_CHARS = st.characters(exclude_categories=["Cs"]).filter(lambda c: not is_unsafe_char(c))
SAFE_TEXT = st.text(SAFE_CHARS, max_size=20)  # text that could control a terminal is refused
SAFE_KEYS = st.text(SAFE_CHARS, max_size=8)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | SAFE_TEXT
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(SAFE_KEYS, inner, max_size=4),
    max_leaves=30,
)


@FUZZ
@given(DATA, st.sampled_from([False, True]))
def test_dumped_data_reads_back_the_same(data: object, flow: bool) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    # PyYAML itself is the reference: it does not round-trip a few odd characters such as U+0085
    assert read_yaml_text(text).data == yaml.safe_load(text)


@FUZZ
@given(DATA, st.integers(min_value=0), st.sampled_from("[]{}:,-&*!'\"\n\t #?|>"))
def test_mangled_yaml_raises_only_input_problems(data: object, at: int, char: str) -> None:
    text = yaml.safe_dump({"a": data, "b": [data, data]}, allow_unicode=True)
    at %= len(text)
    read_or_problems(text[:at] + char + text[at + 1 :])


def test_short_texts_are_one_object_per_spelling_and_long_ones_are_not_kept() -> None:
    """Ids and references are interned (the engine's look-ups by id then match by identity):
    every copy of an id, as a key or a value, is the same string as the interned one."""
    long_text = "x" * 65
    doc = read_yaml_text(
        f"ally_trust: 1\neffects: {{ally_trust: '+ 1'}}\nto: [mofa, mofa]\ntext: {long_text}\n"
    ).data
    key = next(iter(doc))
    assert key is sys.intern("ally_trust")
    assert next(iter(doc["effects"])) is key
    assert doc["to"][0] is doc["to"][1] is sys.intern("mofa")
    assert doc["text"] == long_text and doc["text"] is not sys.intern("".join(["x"] * 65))
