"""Key terms and the final ranking of suggested related articles (no store involved)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from newsdesk.core.models import Article, ArticleSummary, Status
from newsdesk.core.related import suggest
from newsdesk.core.related.suggest import Candidate, KeyTerm, Suggestion

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

FLOOD = Article(
    headline="Flooding closes Ashbridge town centre as River Avon bursts its banks",
    standfirst="Council opens rest centres after the river rose overnight",
    section="News",
    tags=("flooding", "Ashbridge"),
    body=(
        "The River Avon burst its banks in Ashbridge on Tuesday. Floods closed the "
        "high street and the council said sandbags were handed out. Flooded homes were "
        "evacuated. The flood defences, built in 2009, were overtopped."
    ),
    updated_at=NOW,
)


def summary(
    key: str,
    headline: str,
    *,
    tags: tuple[str, ...] = (),
    section: str = "News",
    status: Status = Status.PUBLISHED,
    when: datetime = NOW,
) -> ArticleSummary:
    return ArticleSummary(
        id=abs(hash(key)) % 10_000,
        uri=f"urn:test:{key}",
        slug=key,
        headline=headline,
        status=status,
        section=section,
        byline="",
        updated_at=when,
        display_date=when,
        word_count=300,
        tags=tags,
    )


def test_headline_terms_lead_and_stop_words_stay_out() -> None:
    terms = suggest.key_terms(FLOOD, limit=6)
    words = [t.word for t in terms]
    assert words[0] in {"flooding", "ashbridge", "river", "avon"}
    assert {"the", "said", "its", "as"}.isdisjoint(words)
    # flooding, floods, flooded and flood are one term, under its commonest form
    stems = [t.stem for t in suggest.term_candidates(FLOOD)]
    assert stems.count("flood") == 1
    assert "2009" not in words  # numbers say little


def test_only_the_start_of_a_long_body_is_read() -> None:
    lead = "Floodwater reached the bridge. " * (suggest.BODY_CHARS // 30 + 1)
    tail = "Zeppelin hangar " * 50_000
    terms = [t.word for t in suggest.term_candidates(Article(headline="", body=lead + tail))]
    assert "floodwater" in terms and "zeppelin" not in terms


def test_rare_terms_win_and_common_ones_are_dropped() -> None:
    pool = suggest.term_candidates(FLOOD)
    by_word = {t.word: t for t in pool}
    freqs = {t.word: 50 for t in pool}
    freqs["council"] = 30_000  # in 30 % of the archive: never a key term
    freqs["ashbridge"] = 0  # nowhere else: cannot find anything
    uniform = [t.word for t in suggest.select_terms(pool, doc_freq=freqs, documents=100_000)]
    assert uniform.index("river") < uniform.index("avon")  # river: headline and standfirst
    freqs["river"] = 5_000  # common: falls below the rare name
    terms = suggest.select_terms(pool, doc_freq=freqs, documents=100_000, limit=8)
    words = [t.word for t in terms]
    assert "council" in by_word and "council" not in words
    assert "ashbridge" not in words
    assert words.index("avon") < words.index("river")
    assert all(t.doc_freq is not None for t in terms)


def test_the_postings_budget_caps_common_terms() -> None:
    pool = suggest.term_candidates(FLOOD)
    freqs = {t.word: 4_000 for t in pool}
    terms = suggest.select_terms(pool, doc_freq=freqs, documents=100_000, budget=10_000)
    assert len(terms) == 2 and sum(t.doc_freq or 0 for t in terms) <= 10_000
    single = suggest.select_terms(pool, doc_freq=freqs, documents=100_000, budget=100)
    assert len(single) == 1  # nothing fits: the rarest term alone


def test_on_topic_old_beats_off_topic_fresh() -> None:
    old_flood = Candidate(
        summary(
            "great-flood-2007",
            "Ashbridge remembers the great flood",
            tags=("flooding",),
            when=NOW - timedelta(days=365 * 6),
        ),
        text_score=9.0,
    )
    fresh_off_topic = Candidate(
        summary("celebrity-chef", "Celebrity chef opens a restaurant by the river"),
        text_score=1.5,
    )
    ranked = suggest.rank(FLOOD, [fresh_off_topic, old_flood])
    assert [c.summary.slug for _, c in ranked] == ["great-flood-2007", "celebrity-chef"]


def test_shared_tags_and_section_lift_equal_text() -> None:
    plain = Candidate(summary("plain", "River level update", section="Sport"), text_score=5.0)
    tagged = Candidate(
        summary("tagged", "River level update", tags=("Flooding",), section="Sport"),
        text_score=5.0,
    )
    same_section = Candidate(summary("section", "River level update"), text_score=5.0)
    order = [c.summary.slug for _, c in suggest.rank(FLOOD, [plain, same_section, tagged])]
    assert order == ["tagged", "section", "plain"]


def test_ties_have_a_fixed_order() -> None:
    def twin(slug: str, when: datetime) -> Candidate:
        return Candidate(summary(slug, "River Avon bursts its banks", when=when), text_score=4.0)

    newer = twin("b-newer", NOW)
    older = twin("a-older", NOW)  # same date: slug decides
    oldest = twin("c-oldest", NOW - timedelta(days=30))
    ranked = suggest.rank(FLOOD, [oldest, newer, older])
    assert [c.summary.slug for _, c in ranked] == ["a-older", "b-newer", "c-oldest"]
    again = suggest.rank(FLOOD, [older, oldest, newer])
    assert [c.summary.slug for _, c in again] == ["a-older", "b-newer", "c-oldest"]


def test_self_excluded_withdrawn_and_archived_are_dropped() -> None:
    candidates = [
        Candidate(dataclasses.replace(summary("self", "Flooding"), uri=FLOOD.uri), 9.0),
        Candidate(summary("linked", "Flooding"), 8.0),
        Candidate(summary("gone", "Flooding", status=Status.WITHDRAWN), 7.0),
        Candidate(summary("old", "Flooding", status=Status.ARCHIVED), 6.0),
        Candidate(summary("draft", "Flooding", status=Status.DRAFT), 5.0),
    ]
    ranked = suggest.rank(FLOOD, candidates, exclude={"urn:test:linked"})
    assert [c.summary.slug for _, c in ranked] == ["draft"]


def test_reason_names_shared_tags_then_terms() -> None:
    terms = (
        KeyTerm("flooding", "flood", 9.0),
        KeyTerm("river", "river", 8.0),
        KeyTerm("avon", "avon", 7.0),
        KeyTerm("sandbags", "sandbag", 6.0),
        KeyTerm("council", "council", 5.0),
    )
    candidate = Candidate(
        summary("next-day", "Avon still rising", tags=("Ashbridge", "flooding")),
        text_score=3.0,
        standfirst="River levels peak tonight.",
    )
    made = suggest.suggestion(FLOOD, terms, 0.8, candidate, matched={"council", "sandbags"})
    # the article's tags in its own order, then terms by weight; the tag covers "flooding"
    assert made.why == ("flooding", "Ashbridge", "river", "avon")
    assert made.reason == "shared: flooding, Ashbridge, river, avon"
    bare = suggest.suggestion(FLOOD, terms, 0.1, Candidate(summary("x", "Unrelated"), 1.0))
    assert bare.why == () and bare.reason == "similar wording"


def test_unseen_terms_are_only_asked_for_when_needed() -> None:
    terms = (KeyTerm("river", "river", 8.0), KeyTerm("sandbags", "sandbag", 6.0))
    visible = Candidate(summary("v", "River rises"), 3.0)
    assert suggest.unseen_terms(FLOOD, terms, visible) == (terms[1],)
    full = Candidate(summary("f", "River sandbags", tags=("flooding", "Ashbridge")), 3.0)
    assert suggest.unseen_terms(FLOOD, terms, full) == ()


def test_suggestion_as_json() -> None:
    made = Suggestion(
        uri="urn:x",
        slug="x",
        headline="X",
        section="News",
        status=Status.PUBLISHED,
        display_date=None,
        updated_at=NOW,
        score=0.123456789,
        why=("flooding",),
    )
    assert made.to_dict() == {
        "uri": "urn:x",
        "slug": "x",
        "headline": "X",
        "section": "News",
        "status": "published",
        "date": NOW.isoformat(),
        "score": 0.123457,
        "why": ["flooding"],
        "reason": "shared: flooding",
    }
