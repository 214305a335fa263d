"""House style in Vale's rule format: a folder of YAML rules, checked against a story's text.

Supported kinds: existence, substitution, occurrence, repetition, capitalization and
consistency (``reference/CHECKS.md`` §3). Other kinds (conditional, metric, readability,
spelling, sequence, script) are listed in ``Style.skipped`` instead of failing the style.
Patterns run on the ``regex`` module with a time limit per paragraph, so a pattern that
backtracks without end is stopped and reported instead of freezing the window. The shipped
style compiles each rule's patterns when the rule first runs (most never do on a given story:
compiling them all is most of the cost of loading it); a style folder of the user's is
compiled whole on loading, so a bad pattern is named at once.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
import yaml

from newsdesk.core.checks.checks import CheckKind, LineIndex, Problem
from newsdesk.core.checks.prose import blocks, mask, sentences
from newsdesk.core.errors import NewsdeskError

LEVELS = ("suggestion", "warning", "error")
KINDS = ("existence", "substitution", "occurrence", "repetition", "capitalization", "consistency")
UNSUPPORTED = ("conditional", "metric", "readability", "spelling", "sequence", "script")
TIME_LIMIT = 0.1
"""Seconds one rule may spend on one paragraph before it is stopped."""
CHUNK = 50_000
"""Characters of neighbouring blocks searched at once by a matching rule (the time limit
applies to each search)."""
MAX_PATTERN = 20_000  # characters: a longer pattern is refused at load time

FIELD_SCOPES: dict[str, frozenset[str]] = {
    "headline": frozenset({"heading", "heading.h1", "title", "text"}),
    "seo_title": frozenset({"title", "text"}),
    "kicker": frozenset({"text"}),
    "standfirst": frozenset({"paragraph", "summary", "text"}),
    "seo_description": frozenset({"paragraph", "summary", "text"}),
    "image.caption": frozenset({"figure.caption", "caption", "text"}),
    "image.alt": frozenset({"alt", "text"}),
    "audio.caption": frozenset({"figure.caption", "caption", "text"}),
}
"""The Vale scopes each one-line field of a story stands for; the body is split into
paragraphs, headings, lists and quotations (``core.prose.blocks``)."""


class StyleError(NewsdeskError):
    """A rule file that cannot be used; names the file and the line."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}")
        self.path = str(path)
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class Hit:
    """Where a rule matched in the text, what it says and what would fix it."""

    start: int
    end: int
    message: str
    suggestions: tuple[str, ...] = ()


Finder = Callable[[str, int, int], Iterator[Hit]]


@dataclass(frozen=True)
class Rule:
    """One rule of a style: ``Style.Rule``, its level and where it applies."""

    name: str
    kind: str
    level: str
    scope: tuple[str, ...]
    message: str
    path: str
    find: Finder = field(repr=False, compare=False)
    link: str = ""
    description: str = ""
    needs: tuple[str, ...] | None = None
    """Words one of which the text must hold for the rule to match (lower case when the
    rule ignores case), found in its patterns; ``None`` when they cannot be told."""
    ignorecase: bool = False
    _applies: dict[frozenset[str], bool] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def may_match(self, masked: str, lowered: str) -> bool:
        """Whether the rule could match at all: a plain substring test, far cheaper than
        running its patterns over a story that holds none of its words."""
        if self.needs is None:
            return True
        text = lowered if self.ignorecase else masked
        return any(word in text for word in self.needs)

    def applies_to(self, scopes: frozenset[str]) -> bool:
        """Whether this rule looks at a block with ``scopes`` (Vale: a list means any, ``~``
        negates, ``&`` joins)."""
        known = self._applies.get(scopes)
        if known is None:
            known = self._applies[scopes] = any(_scope_matches(s, scopes) for s in self.scope)
        return known

    @property
    def by_sentence(self) -> bool:
        return "sentence" in " ".join(self.scope)

    @property
    def spans_blocks(self) -> bool:
        """Whether the rule can search many blocks at once: a matching rule (counting and
        casing rules judge one unit at a time) not read sentence by sentence."""
        return (
            self.kind in ("existence", "substitution", "repetition", "consistency")
            and not self.by_sentence
        )


@dataclass(frozen=True)
class Style:
    """A named set of rules (Vale's "style": one folder)."""

    name: str
    rules: tuple[Rule, ...]
    skipped: tuple[str, ...] = ()
    """Notes on rule files not used (kinds Newsdesk does not run), for the user to see."""

    def from_level(self, level: str) -> Style:
        """The same style with only the rules at ``level`` or more serious (a summary that
        counts warnings and errors need not run the suggestions)."""
        kept = LEVELS[LEVELS.index(level) :]
        return Style(self.name, tuple(r for r in self.rules if r.level in kept), self.skipped)


def _scope_matches(spec: str, scopes: frozenset[str]) -> bool:
    for part in spec.split("&"):
        negated = part.strip().startswith("~")
        name = part.strip().lstrip("~").strip()
        if name == "sentence":
            name = "summary"  # every prose block, looked at sentence by sentence
        elif name == "raw":
            name = "text"
        present = name in scopes or any(s.startswith(name + ".") for s in scopes)
        if present == negated:
            return False
    return True


# ----- loading -------------------------------------------------------------------------


def default_style() -> Style:
    """Newsdesk's own British news style, shipped as package data (documented rule by rule
    in its README.md). Its patterns compile as each rule first runs: they are tested whole
    (tests/core/test_house_style.py), and a one-story check then compiles only the few
    rules whose words the story holds."""
    from newsdesk.resources import as_file, resource

    with as_file(resource("styles", "NewsdeskBritish")) as folder:
        return load_style(Path(folder), lazy=True)


def load_style(folder: Path, *, lazy: bool = False) -> Style:
    """The style in ``folder`` (its ``*.yml`` rules; Vale ignores ``.yaml``, and so do we,
    saying so). A malformed file raises ``StyleError`` naming its path and line; with
    ``lazy``, a bad pattern raises it only when its rule first runs."""
    folder = folder.expanduser()
    if not folder.is_dir():
        raise StyleError(folder, None, "no such folder; give the folder holding the .yml rules")
    name = folder.name
    files = sorted(folder.glob("*.yml"))
    skipped = [
        f"{p}: not read (Vale reads only .yml rule files); rename it to {p.stem}.yml"
        for p in sorted(folder.glob("*.yaml"))
    ]
    if not files:
        inside = sorted(p.name for p in folder.iterdir() if p.is_dir() and any(p.glob("*.yml")))
        hint = (
            f"it looks like Vale's StylesPath: give one of its styles, such as {folder / inside[0]}"
            f" ({', '.join(inside)})"
            if inside
            else "give a style folder such as styles/House"
        )
        raise StyleError(folder, None, f"holds no .yml rule files; {hint}")
    rules = []
    for path in files:
        rule = _load_rule(name, path, lazy=lazy)
        if isinstance(rule, str):
            skipped.append(rule)
        else:
            rules.append(rule)
    return Style(name, tuple(rules), tuple(skipped))


# libyaml's parser when PyYAML has it (ten times faster: a style is read at every check).
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_rule(style: str, path: Path, *, lazy: bool = False) -> Rule | str:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StyleError(path, None, f"cannot be read: {exc}") from None
    loader = _LOADER(text)  # a safe loader, C or Python
    try:  # parsed once: the node gives each key's line, and is made into the data
        node = loader.get_single_node()
        # Read before the data is made: making it folds merge keys (<<) into the node.
        lines = {
            str(key.value): key.start_mark.line + 1
            for key, _ in (node.value if isinstance(node, yaml.MappingNode) else [])
            if isinstance(key, yaml.ScalarNode)
        }
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise StyleError(
            path, mark.line + 1 if mark else None, f"not valid YAML: {problem}"
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or node is None:
        raise StyleError(path, 1, "a rule file must be a YAML mapping (extends: ..., message: ...)")
    return _RuleReader(style, path, data, lines).rule(lazy=lazy)


class _RuleReader:
    """Turns one rule file's mapping into a ``Rule``, naming the line of any bad key."""

    def __init__(self, style: str, path: Path, data: dict[str, Any], lines: Mapping[str, int]):
        self.style, self.path, self.data, self.lines = style, path, data, lines
        self.name = f"{style}.{path.stem}"
        self.lazy = False

    def fail(self, key: str, problem: str) -> StyleError:
        return StyleError(self.path, self.lines.get(key, 1), problem)

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        value = self.data.get(key, default)
        if value is not None and not isinstance(value, kind):
            names = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            raise self.fail(key, f"'{key}' must be a {_plain(names)}")
        return value

    def rule(self, *, lazy: bool = False) -> Rule | str:
        kind = self.get("extends", str)
        if kind is None:
            raise self.fail("extends", "'extends' is missing; say which kind of rule this is")
        if kind in UNSUPPORTED:
            return f"{self.path}: a {kind} rule, which Newsdesk does not run; it was skipped"
        if kind not in KINDS:
            raise self.fail("extends", f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
        message = self.get("message", str)
        if not message:
            raise self.fail("message", "'message' is missing; say what is wrong and what to do")
        level = self.get("level", str, "warning")
        if level not in LEVELS:
            raise self.fail("level", f"'level' must be one of {', '.join(LEVELS)}, not {level!r}")
        scope = self.get("scope", (str, list), "text")
        scopes = tuple(str(s) for s in (scope if isinstance(scope, list) else [scope]))
        self.needs: tuple[str, ...] | None = None
        self.lazy = lazy
        self._need(kind)
        build: Callable[[str], Finder] = getattr(self, f"_{kind}")
        finder = _on_first_use(build, message) if lazy else build(message)
        return Rule(
            self.name,
            kind,
            level,
            scopes,
            message,
            str(self.path),
            finder,
            str(self.data.get("link", "")),
            str(self.data.get("description", "")),
            self.needs,
            self.ignorecase,
        )

    def _need(self, kind: str) -> None:
        """Remember the words the text must hold for the rule to match, read from its
        keys without compiling them (an existence rule's ``tokens``, a substitution's
        ``swap`` keys); the rule's own check of the keys comes when it is built."""
        if kind == "existence" and not "".join(self.strings("raw")):
            self.need(self.strings("tokens"))
        elif kind == "substitution":
            swap = self.get("swap", dict)
            if swap:
                self.need([str(k) for k in swap])

    def need(self, alternatives: list[str]) -> None:
        """Remember the words the text must hold for one of ``alternatives`` to match."""
        found = [_literal(a) for a in alternatives]
        if found and all(found):
            self.needs = tuple(
                dict.fromkeys(w.lower() if self.ignorecase else w for w in found if w)
            )

    # --- patterns

    def compile(self, key: str, pattern: str, *, ignorecase: bool) -> regex.Pattern[str]:
        if len(pattern) > MAX_PATTERN:
            raise self.fail(key, f"the pattern is {len(pattern):,} characters; keep it short")
        pattern = pattern.replace("(?-i)", "")  # Vale's own marker; case follows ignorecase
        flags = regex.V0 | regex.MULTILINE | (regex.IGNORECASE if ignorecase else 0)
        try:
            return regex.compile(pattern, flags)
        except (regex.error, ValueError, OverflowError) as exc:
            raise self.fail(
                key, f"the pattern {pattern!r} is not a valid regular expression: {exc}"
            ) from None

    def compile_when_used(
        self, key: str, pattern: str, *, ignorecase: bool
    ) -> Callable[[], regex.Pattern[str]]:
        """``compile``'s pattern, got by calling: compiled now (so a bad one is named as the
        style loads), or when first used in a lazy style (exceptions and fixes are needed
        only once the rule matches)."""
        if not self.lazy:
            compiled = self.compile(key, pattern, ignorecase=ignorecase)
            return lambda: compiled
        built: list[regex.Pattern[str]] = []

        def get() -> regex.Pattern[str]:
            if not built:
                built.append(self.compile(key, pattern, ignorecase=ignorecase))
            return built[0]

        return get

    def strings(self, key: str) -> list[str]:
        value = self.get(key, (list, str), [])
        items = [value] if isinstance(value, str) else value
        if not all(isinstance(i, (str, int, float)) for i in items):
            raise self.fail(key, f"'{key}' must be a list of words or patterns")
        return [str(i) for i in items]

    @property
    def ignorecase(self) -> bool:
        return bool(self.get("ignorecase", bool, False))

    def bounded(self, body: str) -> str:
        return body if self.get("nonword", bool, False) else rf"\b(?:{body})\b"

    def exceptions(self) -> Callable[[str], bool]:
        found = self.strings("exceptions")
        if not found:
            return lambda text: False
        # Case-sensitive, as Vale's (?-i) before them makes them
        pattern = self.compile_when_used(
            "exceptions", "^(?:" + "|".join(found) + ")$", ignorecase=False
        )
        return lambda text: pattern().match(text) is not None

    def action(self) -> Callable[[str], tuple[str, ...]]:
        action = self.get("action", dict, {}) or {}
        name = action.get("name", "")
        params = [str(p) for p in action.get("params", []) or []]
        if name in ("", "suggest", "convert"):
            return lambda text: ()
        if name == "replace":
            return lambda text: tuple(params)
        if name == "remove":
            return lambda text: ("",)
        if name == "edit" and params and params[0] == "regex" and len(params) >= 2:
            pattern = self.compile_when_used("action", params[1], ignorecase=False)
            repl = params[2] if len(params) > 2 else ""
            return lambda text: (pattern().sub(repl, text),)
        if name == "edit" and params and params[0] in ("trim", "trim_left", "trim_right"):
            chars = params[1] if len(params) > 1 else None
            strip = {"trim": str.strip, "trim_left": str.lstrip, "trim_right": str.rstrip}
            return lambda text: (strip[params[0]](text, chars),)
        raise self.fail("action", f"the action {name!r} {params} is not one Newsdesk can apply")

    # --- kinds

    def _existence(self, message: str) -> Finder:
        tokens = self.strings("tokens")
        raw = "".join(self.strings("raw"))
        if not tokens and not raw:
            raise self.fail("tokens", "an existence rule needs 'tokens' or 'raw'")
        body = raw + (self.bounded("|".join(tokens)) if tokens else "")
        key = "raw" if raw else "tokens"
        pattern = self.compile(key, body, ignorecase=self.ignorecase)
        excepted = self.exceptions()
        fix = self.action()

        def find(text: str, start: int, end: int) -> Iterator[Hit]:
            for match in _finditer(pattern, text, start, end):
                found = match.group(0)
                if found and not excepted(found):
                    yield Hit(match.start(), match.end(), _say(message, found), fix(found))

        return find

    def _substitution(self, message: str) -> Finder:
        swap = self.get("swap", dict)
        if not swap:
            raise self.fail("swap", "a substitution rule needs 'swap' (wrong: right)")
        keys = [str(k) for k in swap]
        goods = [tuple(str(swap[k]).split("|")) if swap[k] is not None else ("",) for k in swap]
        for key in keys:  # each alone, so a bad one is named
            self.compile("swap", key, ignorecase=self.ignorecase)
        body = "|".join(f"(?P<s{i}>{key})" for i, key in enumerate(keys))
        pattern = self.compile("swap", self.bounded(body), ignorecase=self.ignorecase)
        excepted = self.exceptions()
        names = [f"s{i}" for i in range(len(keys))]

        def find(text: str, start: int, end: int) -> Iterator[Hit]:
            for match in _finditer(pattern, text, start, end):
                found = match.group(0)
                which = next(i for i, n in enumerate(names) if match.group(n) is not None)
                good = tuple(_same_case(found, g) for g in goods[which])
                if not found or excepted(found) or found in good:
                    continue
                yield Hit(match.start(), match.end(), _say(message, " or ".join(good), found), good)

        return find

    def _occurrence(self, message: str) -> Finder:
        token = self.get("token", str)
        if not token:
            raise self.fail("token", "an occurrence rule needs 'token' (what to count)")
        pattern = self.compile("token", token, ignorecase=self.ignorecase)
        most = self.get("max", int)
        least = self.get("min", int)
        if most is None and least is None:
            raise self.fail("max", "an occurrence rule needs 'max' or 'min'")

        def find(text: str, start: int, end: int) -> Iterator[Hit]:
            count = len(pattern.findall(text, start, end, timeout=TIME_LIMIT))
            if (most is not None and count > most) or (least is not None and count < least):
                yield Hit(start, end, _say(message, str(count)))

        return find

    def _repetition(self, message: str) -> Finder:
        tokens = self.strings("tokens")
        if not tokens:
            raise self.fail("tokens", "a repetition rule needs 'tokens' (what may not repeat)")
        for token in tokens:
            self.compile("tokens", token, ignorecase=self.ignorecase)  # each alone, to name it
        # The same token twice with only spaces between: one search, the regex engine
        # comparing (a backreference follows ignorecase), no loop over every word.
        pattern = self.compile(
            "tokens",
            rf"(?<![\p{{L}}\p{{N}}])(?P<word>{'|'.join(tokens)})\s+(?P=word)(?![\p{{L}}\p{{N}}])",
            ignorecase=self.ignorecase,
        )
        alpha = bool(self.get("alpha", bool, False))

        def find(text: str, start: int, end: int) -> Iterator[Hit]:
            for match in _finditer(pattern, text, start, end):
                word = match.group("word")
                if word.strip() and (not alpha or word.isalpha()):
                    yield Hit(match.start(), match.end(), _say(message, word), (word,))

        return find

    def _capitalization(self, message: str) -> Finder:
        match = self.get("match", str)
        if not match:
            raise self.fail("match", "a capitalization rule needs 'match' ($title, $sentence...)")
        excepted = set(self.strings("exceptions"))
        indicators = tuple(self.strings("indicators")) or (":",)
        threshold = float(self.get("threshold", (int, float), 0.8))
        judge = _case_judge(match, excepted, indicators, threshold, self.compile)

        def find(text: str, start: int, end: int) -> Iterator[Hit]:
            chunk = text[start:end]
            lead = len(chunk) - len(chunk.lstrip(" #\t"))
            trail = len(chunk.rstrip())
            words = chunk[lead:trail]
            if words.strip():
                verdict = judge(words)
                if verdict is not None:
                    yield Hit(start + lead, start + trail, _say(message, words), verdict)

        return find

    def _consistency(self, message: str) -> Finder:
        either = self.get("either", dict)
        if not either:
            raise self.fail("either", "a consistency rule needs 'either' (one: other)")
        pairs = [
            (
                self.compile("either", self.bounded(str(a)), ignorecase=self.ignorecase),
                self.compile("either", self.bounded(str(b)), ignorecase=self.ignorecase),
            )
            for a, b in either.items()
        ]

        def find(text: str, start: int, end: int) -> Iterator[Hit]:
            for one, other in pairs:
                ones = list(_finditer(one, text, start, end))
                others = list(_finditer(other, text, start, end))
                if not ones or not others:
                    continue
                first, later = (
                    (ones, others) if ones[0].start() < others[0].start() else (others, ones)
                )
                kept = first[0].group(0)
                for match in later:
                    yield Hit(
                        match.start(), match.end(), _say(message, kept, match.group(0)), (kept,)
                    )

        return find


def _on_first_use(build: Callable[[str], Finder], message: str) -> Finder:
    """A finder that builds (compiles) the real one the first time it is asked."""
    built: list[Finder] = []

    def find(text: str, start: int, end: int) -> Iterator[Hit]:
        if not built:
            built.append(build(message))  # twice at worst from two threads: same result
        return built[0](text, start, end)

    return find


_LITERAL_CHAR = regex.compile(r"[\p{L}\p{N} '’-]")


def _literal(pattern: str) -> str | None:
    """The longest run of plain characters every match of ``pattern`` must hold ("changer"
    in ``game[- ]changer``), or ``None`` when the pattern is too rich to tell (groups,
    repeats, alternatives) or the run is shorter than two characters."""
    runs, run, at = [], "", 0
    while at < len(pattern):
        char = pattern[at]
        if char == "\\" and at + 1 < len(pattern):
            escaped = pattern[at + 1]
            if escaped == "b":
                runs.append(run)
                run = ""
            elif escaped in ".-'’ ":
                run += escaped
            else:
                return None
            at += 2
            continue
        if char == "[":
            close = pattern.find("]", at + 1)
            if close == -1:
                return None
            runs.append(run)
            run = ""
            at = close + 1
            if pattern[at : at + 1] == "?":
                at += 1
            continue
        if char == "?":
            run = run[:-1]
            runs.append(run)
            run = ""
        elif _LITERAL_CHAR.fullmatch(char):
            run += char
        else:
            return None
        at += 1
    runs.append(run)
    best = max(runs, key=len)
    return best if len(best.strip()) >= 2 else None


def _plain(type_names: str) -> str:
    return (
        type_names.replace("str", "text")
        .replace("list", "list")
        .replace("dict", "mapping")
        .replace("bool", "true or false")
        .replace("int", "whole number")
        .replace("float", "number")
    )


def _say(message: str, *values: str) -> str:
    """Vale's message with each ``%s`` filled in turn."""
    for value in values:
        message = message.replace("%s", value, 1)
    return message.replace("%s", "")


def _same_case(found: str, good: str) -> str:
    """``good`` capitalised like ``found`` (a sentence's first word stays capitalised)."""
    if found[:1].isupper() and good[:1].islower() and not found.isupper():
        return good[:1].upper() + good[1:]
    return good


def _finditer(
    pattern: regex.Pattern[str], text: str, start: int, end: int
) -> Iterator[regex.Match[str]]:
    return pattern.finditer(text, start, end, timeout=TIME_LIMIT)


_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on onto or over per so than the to up via "
    "vs with yet".split()
)
_CASE_WORD = regex.compile(r"[\p{L}][\p{L}\p{M}'’-]*")


def _case_judge(
    match: str,
    excepted: set[str],
    indicators: tuple[str, ...],
    threshold: float,
    compile_: Callable[..., regex.Pattern[str]],
) -> Callable[[str], tuple[str, ...] | None]:
    """A function telling whether a heading is cased as ``match`` wants: ``None`` when it
    is, else the suggested rewrite (empty when none can be offered)."""
    if match == "$upper":
        return lambda words: None if words == words.upper() else (words.upper(),)
    if match == "$lower":
        return lambda words: None if words == words.lower() else (words.lower(),)
    if match in ("$sentence", "$title"):
        want_title = match == "$title"

        def judge(words: str) -> tuple[str, ...] | None:
            found = list(_CASE_WORD.finditer(words))
            if not found:
                return None
            good, fixed, after_indicator = 0, words, True
            for index, word_match in enumerate(found):
                word = word_match.group(0)
                expected = _expected_case(word, index, after_indicator, want_title, excepted)
                good += word == expected
                fixed = fixed[: word_match.start()] + expected + fixed[word_match.end() :]
                tail = words[word_match.end() : word_match.end() + 2]
                after_indicator = any(i in tail for i in indicators)
            return None if good / len(found) >= threshold else (fixed,)

        return judge
    pattern = compile_("match", match, ignorecase=False)
    return lambda words: None if pattern.fullmatch(words) else ()


def _expected_case(word: str, index: int, first: bool, title: bool, excepted: set[str]) -> str:
    if word in excepted or (word.isupper() and len(word) > 1) or word == "I":
        return word
    if any(c.isupper() for c in word[1:]):  # iPhone, McDonald: leave as written
        return word
    if first or index == 0:
        return word[:1].upper() + word[1:]
    if title:
        return (
            word if word.lower() in _SMALL_WORDS and word.islower() else word[:1].upper() + word[1:]
        )
    return word.lower()


# ----- checking ------------------------------------------------------------------------


def style_problems(
    field: str, text: str, style: Style, *, masked: str | None = None
) -> list[Problem]:
    """The house-style problems of ``field``'s ``text`` ("body" is read block by block).
    ``masked`` is ``prose.mask(text)`` when the caller has it."""
    if not text.strip() or not style.rules:
        return []
    masked = mask(text) if masked is None else masked
    if field != "body":
        masked = masked.replace("\n", " ")
    if field == "body":
        units = [(b.start, b.end, b.scopes) for b in blocks(masked)]
    else:
        units = [(0, len(masked), FIELD_SCOPES.get(field, frozenset({"text"})))]
    where = LineIndex(text)
    found: list[Problem] = []
    lowered = masked.lower()
    split: dict[int, list[tuple[int, int]]] = {}
    for rule in style.rules:
        if not rule.may_match(masked, lowered):
            continue
        wanted = [u for u in units if rule.applies_to(u[2])]
        try:
            hits = (
                _spanning(rule, masked, wanted)
                if rule.spans_blocks
                else _per_unit(rule, masked, wanted, split)
            )
            found.extend(_problem(field, rule, hit, where) for hit in hits)
        except TimeoutError:
            found.append(_runaway(field, rule))
    return found


def _spanning(
    rule: Rule, masked: str, units: list[tuple[int, int, frozenset[str]]]
) -> Iterator[Hit]:
    """A matching rule's hits found in runs of neighbouring blocks at once (one search per
    ``CHUNK`` characters instead of one per paragraph), each kept if it lies in one block."""
    for first, last in _runs(units):
        starts = [u[0] for u in units[first:last]]
        ends = [u[1] for u in units[first:last]]
        for hit in rule.find(masked, starts[0], ends[-1]):
            index = bisect_right(starts, hit.start) - 1
            if index >= 0 and hit.end <= ends[index]:
                yield hit


def _runs(units: list[tuple[int, int, frozenset[str]]]) -> Iterator[tuple[int, int]]:
    """``[first, last)`` indexes of runs of units up to ``CHUNK`` characters long."""
    first = 0
    for index in range(1, len(units) + 1):
        if index == len(units) or units[index][1] - units[first][0] > CHUNK:
            yield first, index
            first = index


def _per_unit(
    rule: Rule,
    masked: str,
    units: list[tuple[int, int, frozenset[str]]],
    split: dict[int, list[tuple[int, int]]],
) -> Iterator[Hit]:
    """The rule's hits in each unit it reads (a block, or each of its sentences), the unit
    given alone as Vale does (so ``^`` and ``$`` are its start and end). ``split`` keeps
    each block's sentences for the next rule."""
    for start, end, _ in units:
        if rule.by_sentence:
            spans = split.get(start)
            if spans is None:
                spans = split[start] = list(sentences(masked, start, end))
        else:
            spans = [(start, end)]
        yield from _hits(rule, masked, spans)


def _hits(rule: Rule, masked: str, spans: list[tuple[int, int]]) -> Iterator[Hit]:
    for s_start, s_end in spans:
        unit = masked[s_start:s_end]
        for hit in rule.find(unit, 0, len(unit)):
            yield Hit(hit.start + s_start, hit.end + s_start, hit.message, hit.suggestions)


def _problem(field: str, rule: Rule, hit: Hit, where: LineIndex) -> Problem:
    line, column = where(hit.start)
    return Problem(
        CheckKind.STYLE,
        field,
        hit.start,
        hit.end,
        line,
        column,
        rule.name,
        hit.message,
        hit.suggestions,
        rule.level,
    )


def _runaway(field: str, rule: Rule) -> Problem:
    return Problem(
        CheckKind.STYLE,
        field,
        0,
        0,
        1,
        1,
        rule.name,
        f"the rule {rule.name} ({rule.path}) took over {TIME_LIMIT:g} s on one paragraph and "
        "was stopped, so this text was not fully checked against it; simplify its pattern "
        "(nested repeats such as (a+)+ make it run away)",
        (),
        "error",
    )
