"""House style in Vale's format: each rule kind, the shipped British style, bad rule files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newsdesk.core.checks.checks import CheckKind
from newsdesk.core.checks.house_style import StyleError, default_style, load_style, style_problems


def style_of(tmp_path: Path, **rules: str):  # type: ignore[no-untyped-def]
    folder = tmp_path / "House"
    folder.mkdir()
    for name, text in rules.items():
        (folder / f"{name}.yml").write_text(text, encoding="utf-8")
    return load_style(folder)


def found(text: str, style, field: str = "body") -> list[tuple[str, str, tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    return [
        (p.rule, text[p.start : p.end], p.suggestions) for p in style_problems(field, text, style)
    ]


def test_existence_with_tokens_exceptions_and_levels(tmp_path: Path) -> None:
    style = style_of(
        tmp_path,
        Weasel="extends: existence\nmessage: \"Cut '%s'.\"\nlevel: error\nignorecase: true\n"
        "tokens: [very, really]\nexceptions: [Really]\n",
    )
    problems = style_problems("body", "It was very big. Really? everyvery really.", style)
    assert [(p.start, p.end, p.message, p.severity) for p in problems] == [
        (7, 11, "Cut 'very'.", "error"),
        (35, 41, "Cut 'really'.", "error"),
    ]
    assert problems[0].kind == CheckKind.STYLE and problems[0].rule == "House.Weasel"


def test_substitution_suggests_the_swap_in_the_same_case(tmp_path: Path) -> None:
    style = style_of(
        tmp_path,
        Swap="extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nignorecase: true\n"
        "swap:\n  utilize: use\n  in order to: to\n  advisors?: adviser|counsellor\n",
    )
    text = "Utilize it in order to help the advisors."
    assert found(text, style) == [
        ("House.Swap", "Utilize", ("Use",)),
        ("House.Swap", "in order to", ("to",)),
        ("House.Swap", "advisors", ("adviser", "counsellor")),
    ]
    assert style_problems("body", text, style)[0].message == "Use 'Use' instead of 'Utilize'."


def test_occurrence_counts_per_sentence(tmp_path: Path) -> None:
    style = style_of(
        tmp_path,
        Long='extends: occurrence\nmessage: "%s words."\nscope: sentence\nmax: 5\n'
        "token: '\\b\\w+\\b'\n",
    )
    text = "Short one here. This sentence has far too many words in it. Fine."
    problems = style_problems("body", text, style)
    assert [text[p.start : p.end] for p in problems] == [
        "This sentence has far too many words in it."
    ]
    assert problems[0].message == "9 words."


def test_repetition_flags_a_doubled_word(tmp_path: Path) -> None:
    style = style_of(
        tmp_path,
        Twice="extends: repetition\nmessage: \"'%s' twice.\"\nalpha: true\nignorecase: true\n"
        "tokens: ['[^\\s]+']\n",
    )
    assert found("He said the The plan. Had had it.", style) == [
        ("House.Twice", "the The", ("the",)),
        ("House.Twice", "Had had", ("Had",)),
    ]


def test_capitalization_of_headings_and_headline(tmp_path: Path) -> None:
    style = style_of(
        tmp_path,
        Heads="extends: capitalization\nmessage: \"Sentence case: '%s'.\"\nscope: heading\n"
        "match: $sentence\nexceptions: [Leeds]\n",
    )
    body = "# Council Approves New Budget\n\nThe Council Approves New Budget in a paragraph.\n"
    assert found(body, style) == [
        ("House.Heads", "Council Approves New Budget", ("Council approves new budget",))
    ]
    assert found("Council approves Leeds budget", style, "headline") == []
    assert found("Council Approves Leeds Budget", style, "headline") != []
    assert found("Council Approves New Budget", style, "standfirst") == []  # not a heading


def test_consistency_flags_the_second_spelling(tmp_path: Path) -> None:
    style = style_of(
        tmp_path,
        OneWay="extends: consistency\nmessage: \"'%s', not '%s'.\"\nignorecase: true\n"
        "either:\n  judgement: judgment\n",
    )
    assert found("A judgment. Another judgement. A judgment.", style) == [
        ("House.OneWay", "judgement", ("judgment",))
    ]


def test_existence_edit_action_gives_a_one_click_fix(tmp_path: Path) -> None:
    style = style_of(
        tmp_path,
        Points="extends: existence\nmessage: \"No points in '%s'.\"\nnonword: true\n"
        "raw: ['\\b(?:[A-Z]\\.){2,}']\naction:\n  name: edit\n  params: [regex, '\\.', '']\n",
    )
    assert found("The U.K. and the U.S.A. agreed.", style) == [
        ("House.Points", "U.K.", ("UK",)),
        ("House.Points", "U.S.A.", ("USA",)),
    ]


def test_code_and_links_are_not_style_checked(tmp_path: Path) -> None:
    style = style_of(tmp_path, Very="extends: existence\nmessage: \"'%s'\"\ntokens: [very]\n")
    text = "`very` [a](https://very.example/very) very\n\n```\nvery\n```\n"
    assert [p.start for p in style_problems("body", text, style)] == [38]


def test_unsupported_kinds_are_skipped_and_said(tmp_path: Path) -> None:
    style = style_of(
        tmp_path,
        Grade="extends: readability\nmessage: Too hard.\ngrade: 8\n",
        Ok="extends: existence\nmessage: x\ntokens: [x]\n",
    )
    (tmp_path / "House" / "Ignored.yaml").write_text("extends: existence\n")
    assert [r.name for r in style.rules] == ["House.Ok"]
    assert any("readability" in note and "Grade.yml" in note for note in style.skipped)
    assert any("Ignored.yaml" in note for note in load_style(tmp_path / "House").skipped)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("extends: existence\nmessage: x\ntokens: [a, b\n", 4, "not valid YAML"),
        ("extends: existence\nmessage: x\nlevel: loud\ntokens: [a]\n", 3, "'level' must be"),
        ("extends: existence\ntokens: [a]\n", 1, "'message' is missing"),
        ("message: x\nextends: gibberish\ntokens: [a]\n", 2, "unknown kind 'gibberish'"),
        ("extends: existence\nmessage: x\n\nraw: ['(unclosed']\n", 4, "not a valid regular"),
        ("extends: substitution\nmessage: x\nswap: [a, b]\n", 3, "'swap' must be a mapping"),
        ("- just\n- a list\n", 1, "must be a YAML mapping"),
    ],
)
def test_a_malformed_rule_names_its_path_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    with pytest.raises(StyleError) as caught:
        style_of(tmp_path, Broken=text)
    path = tmp_path / "House" / "Broken.yml"
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert words in str(caught.value)
    assert caught.value.line == line


def test_a_missing_or_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StyleError, match="no such folder"):
        load_style(tmp_path / "nowhere")
    (tmp_path / "Empty").mkdir()
    with pytest.raises(StyleError, match=r"no \.yml rule files"):
        load_style(tmp_path / "Empty")
    (tmp_path / "styles" / "Guardian").mkdir(parents=True)
    (tmp_path / "styles" / "Guardian" / "A.yml").write_text("extends: existence\n")
    with pytest.raises(StyleError, match="Vale's StylesPath: give one of its styles, such as"):
        load_style(tmp_path / "styles")


def test_a_runaway_pattern_is_stopped_and_reported(tmp_path: Path) -> None:
    style = style_of(
        tmp_path,
        Runaway="extends: existence\nmessage: x\nnonword: true\nraw: ['(a|aa)+$']\n",
        Fine="extends: existence\nmessage: \"'%s'\"\ntokens: [iconic]\n",
    )
    text = "a" * 60 + "b iconic"
    started = time.perf_counter()
    problems = style_problems("body", text, style)
    assert time.perf_counter() - started < 2  # unbounded, this runs for hours
    runaway = [p for p in problems if p.rule == "House.Runaway"]
    assert len(runaway) == 1 and runaway[0].severity == "error"
    assert "was stopped" in runaway[0].message and "Runaway.yml" in runaway[0].message
    assert [p.rule for p in problems if p.rule != "House.Runaway"] == ["House.Fine"]


def test_the_british_style_ships_and_catches_its_rules() -> None:
    style = default_style()
    assert style.name == "NewsdeskBritish" and not style.skipped
    text = (
        "Officials organized a 5% rise worth £5 million on the 1st December. "
        "The U.K. and NATO advisors had gotten there whilst it was iconic, "
        "the the end.\n\n4 people came today."
    )
    by_rule = {
        p.rule.split(".")[1]: (text[p.start : p.end], p.suggestions)
        for p in style_problems("body", text, style)
    }
    assert by_rule["Ise"] == ("organized", ("organised",))
    assert by_rule["PerCent"] == ("%", (" per cent",))
    assert by_rule["Money"] == (" million", ("m",))
    assert by_rule["DateOrdinals"] == ("1st", ("1",))
    assert by_rule["Abbreviations"] == ("U.K.", ("UK",))
    assert by_rule["Acronyms"] == ("NATO", ("Nato",))
    assert by_rule["Preferred"][1] in {("adviser",), ("while",)}
    assert by_rule["Americanisms"] == ("gotten", ("got",))
    assert by_rule["Cliches"][0] == "iconic"
    assert by_rule["Repeated"] == ("the the", ("the",))
    assert by_rule["FigureOpensSentence"][0] == "4"
    assert by_rule["RelativeDays"][0] == "today"
    # Words the rules must leave alone.
    clean = "The capsized boat's size and prize were seized. It cost £12m, 10 per cent more."
    assert style_problems("body", clean, style) == []


def test_consistency_reaches_across_paragraphs_and_matches_stay_in_one(tmp_path: Path) -> None:
    style = style_of(
        tmp_path,
        OneWay="extends: consistency\nmessage: \"'%s', not '%s'.\"\n"
        "either:\n  judgement: judgment\n",
        Twice="extends: repetition\nmessage: x\ntokens: ['\\w+']\n",
    )
    text = "A judgement here.\n\nA second paragraph.\n\nA judgment there. End\n\nEnd of story."
    assert found(text, style) == [("House.OneWay", "judgment", ("judgement",))]


# Every shipped rule fires on this text at least once (the list is checked below), some in
# headings, sentences and fields other than the body.
EVERY_RULE = (
    "# Officials Organized The Day\n\n"
    "Officials organized a 5% rise worth £5 million on the 1st December. "
    "The U.K. and NATO advisors had gotten there whilst it was iconic, "
    "the the end. The judgement came; then the judgment went. Their focused team "
    "got an e-mail and an email yesterday in the wake of the storm.\n\n"
    "4 people came today and 3 stayed. "
    + " ".join(["word"] * 45)
    + ".\n\n- A list item with the the doubled word\n\n> A quotation organized well"
)


def shipped_eager():  # type: ignore[no-untyped-def]
    """The shipped style compiled whole as it loads (how a user's folder is loaded)."""
    from newsdesk.resources import as_file, resource

    with as_file(resource("styles", "NewsdeskBritish")) as folder:
        return load_style(Path(folder))


def test_the_shipped_style_compiles_whole_and_its_lazy_load_finds_the_same() -> None:
    eager, lazy = shipped_eager(), default_style()  # eager: a bad pattern would raise here
    assert [r.name for r in lazy.rules] == [r.name for r in eager.rules]
    for field, text in (("body", EVERY_RULE), ("headline", "Officials Organized 4 Things")):
        expected = style_problems(field, text, eager)
        assert style_problems(field, text, lazy) == expected
        assert style_problems(field, text, lazy) == expected  # compiled now: still the same
    fired = {p.rule.split(".")[1] for p in style_problems("body", EVERY_RULE, eager)}
    assert fired == {r.name.split(".")[1] for r in eager.rules}


def test_a_style_from_a_level_finds_the_same_minus_what_is_below() -> None:
    whole = style_problems("body", EVERY_RULE, shipped_eager())
    warnings = style_problems("body", EVERY_RULE, default_style().from_level("warning"))
    assert warnings == [p for p in whole if p.severity != "suggestion"]
    assert {p.severity for p in warnings} == {"warning", "error"}
    errors = default_style().from_level("error")
    assert [r.name for r in errors.rules] == ["NewsdeskBritish.Repeated"]


def test_a_lazy_style_names_a_bad_pattern_when_its_rule_first_runs(tmp_path: Path) -> None:
    folder = tmp_path / "House"
    folder.mkdir()
    (folder / "Bad.yml").write_text(
        "extends: existence\nmessage: x\ntokens: ['[z-a]ward']\n", encoding="utf-8"
    )
    with pytest.raises(StyleError, match=r"Bad\.yml:3.*not a valid regular expression"):
        load_style(folder)  # a user's folder: refused as it loads
    lazy = load_style(folder, lazy=True)
    assert style_problems("body", "Nothing of the rule's words here.", lazy) == []
    with pytest.raises(StyleError, match=r"Bad\.yml:3.*not a valid regular expression"):
        style_problems("body", "A text the rule may match: toward.", lazy)
