"""A realistic, reproducible article corpus for the store benchmarks.

The text is synthetic but shaped like a newsroom's archive, so that full-text search does
honest work:

* a general vocabulary of ~4,300 words (real English function and news words at the top,
  made-up words below) drawn with a Zipf-like law (s = 1.05), so a handful of words appear
  in every article and the tail appears in a few hundred;
* ~27 news topics (flooding, elections, the budget...), each with its own words and
  two-word phrases ("prime minister", "flood warning"), which put a topic word into
  hundreds to tens of thousands of articles;
* 20,000 people's names and 1,500 places (Zipf again), so a rare name hits a handful of
  articles and a common one a few thousand;
* headlines, standfirsts, 2-4 tags from a pool of ~300, 12 sections of unequal size,
  seven statuses and update times spread over six years.

Everything is derived from a seed: the same ``--articles N`` gives the same corpus on
SQLite and on PostgreSQL. Rows are written with SQLAlchemy Core into the store's own
tables; the search index is built by the store's own machinery (the FTS5 triggers on
SQLite, the generated ``search_vector`` column on PostgreSQL), and :func:`check_fidelity`
verifies that the generated rows are exactly what ``SqlStore.create`` would have written.
"""

from __future__ import annotations

import bisect
import itertools
import json
import multiprocessing
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

GENERATOR_VERSION = 3
DEFAULT_SEED = 20261126
WORDS_PER_ARTICLE = (850, 1150)  # uniform; ~1,000 words on average
BATCH = 2000  # articles per worker task and per INSERT transaction
CORPUS_KEY = "bench_corpus"  # a row in the store's setting table describing the corpus

# fmt: off
COMMON_WORDS = ["the", "of", "and", "to", "a", "in", "that", "is", "was", "he", "for", "it", "with", "as", "his", "on", "be", "at", "by", "i", "this", "had", "not", "are", "but", "from", "or", "have", "an", "they", "which", "one", "you", "were", "her", "all", "she", "there", "would", "their", "we", "him", "been", "has", "when", "who", "will", "more", "no", "if", "out", "so", "said", "what", "up", "its", "about", "into", "than", "them", "can", "only", "other", "new", "some", "could", "time", "these", "two", "may", "then", "do", "first", "any", "my", "now", "such", "like", "our", "over", "man", "me", "even", "most", "made", "after", "also", "did", "many", "before", "must", "through", "back", "years", "where", "much", "your", "way", "well", "down", "should", "because", "each", "just", "those", "people", "mr", "how", "too", "little", "state", "good", "very", "make", "world", "still", "own", "see", "men", "work", "long", "get", "here", "between", "both", "life", "being", "under", "never", "day", "same", "another", "know", "while", "last", "might", "us", "great", "old", "year", "off", "come", "since", "against", "go", "came", "right", "used", "take", "three", "states", "himself", "few", "house", "use", "during", "without", "again", "place", "american", "around", "however", "home", "small", "found", "mrs", "thought", "went", "say", "part", "once", "general", "high", "upon", "school", "every", "does", "got", "united", "left", "number", "course", "war", "until", "always", "away", "something", "fact", "though", "water", "less", "public", "put", "think", "almost", "hand", "enough", "far", "took", "head", "yet", "government", "system", "better", "set", "told", "nothing", "night", "end", "why", "called", "didnt", "eyes", "find", "going", "look", "asked", "later", "knew", "point", "next", "program", "city", "business", "give", "group", "toward", "young", "days", "let", "room", "president", "side", "social", "given", "present", "several", "order", "national", "possible", "rather", "second", "face", "per", "among", "form", "important", "often", "things", "looking", "early", "white", "case", "john", "become", "large", "big", "need", "four", "within", "felt", "along", "children", "saw", "best", "church", "ever", "least", "power", "development", "light", "thing", "seemed", "family", "interest", "want", "members", "others", "mind", "country", "area", "done", "turned", "although", "open", "god", "service", "certain", "kind", "problem", "began", "different", "door", "thus", "help", "sense", "means", "whole", "matter", "perhaps", "itself", "york", "times", "law", "human", "line", "above", "name", "example", "action", "company", "hands", "local", "show", "whether", "five", "history", "gave", "today", "either", "act", "feet", "across", "taken", "past", "quite", "anything", "seen", "having", "death", "experience", "body", "word", "half", "really", "field", "week", "car", "words", "already", "themselves", "information", "tell", "together", "college", "shall", "money", "period", "held", "keep", "sure", "probably", "free", "seems", "political", "real", "behind", "cannot", "miss", "question", "air", "office", "making", "brought", "whose", "special", "major", "heard", "problems", "federal", "became", "study", "ago", "moment", "available", "known", "result", "street", "economic", "boy", "position", "reason", "change", "south", "board", "individual", "job", "areas", "society", "west", "close", "turn", "love", "community", "true", "court", "force", "full", "seem", "am", "policy", "wife", "future", "age", "voice", "center", "woman", "control", "common", "necessary", "following", "front", "sometimes", "six", "girl", "clear", "further", "land", "run", "students", "provide", "minister", "officials", "spokesman", "statement", "council", "plans", "report", "according", "warned", "support", "million", "billion", "percent", "including", "despite", "announced", "claimed"]

TOPICS: list[tuple[str, str, int, str, str, str]] = [
    # name, section, weight, words, phrases (comma separated), tags
    ("flooding", "news", 3, "flood floods flooding flooded river rainfall storm drainage "
     "evacuated sandbags levels downpour", "flood warning,river levels,environment agency",
     "flooding,weather,environment agency,storms,climate"),
    ("election", "politics", 5, "election ballot voters polling candidate constituency "
     "campaign turnout manifesto seats majority", "prime minister,general election,opinion poll",
     "elections,politics,labour,conservatives,polling,parliament"),
    ("budget", "business", 4, "budget treasury spending deficit chancellor tax taxes borrowing "
     "fiscal revenue", "interest rates,public spending,autumn statement",
     "budget,economy,tax,treasury,public finances"),
    ("health", "health", 4, "hospital hospitals patients nurses waiting surgery doctors nhs "
     "ambulance clinical wards", "waiting lists,junior doctors,emergency departments",
     "nhs,health,hospitals,doctors,nurses"),
    ("crime", "news", 5, "police arrested court trial sentenced prosecutors robbery "
     "investigation officers detectives murder", "crown court,pleaded guilty,police investigation",
     "crime,police,courts,justice,knife crime"),
    ("climate", "environment", 3, "climate emissions carbon renewable wind solar warming "
     "glacier biodiversity pollution", "climate change,net zero,fossil fuels",
     "climate,environment,energy,pollution,biodiversity"),
    ("football", "sport", 5, "football goal goals striker league manager penalty midfielder "
     "transfer defender keeper", "premier league,champions league,extra time",
     "football,premier league,transfers,champions league,world cup"),
    ("cricket", "sport", 2, "cricket wicket wickets batsman innings bowler spinner umpire "
     "declared", "test match,ashes series", "cricket,ashes,county cricket"),
    ("tech", "technology", 3, "software startup data cyber algorithm chips smartphone "
     "platform encryption privacy", "artificial intelligence,social media,data breach",
     "technology,artificial intelligence,social media,cybersecurity,apps"),
    ("housing", "news", 3, "housing rent tenants landlords mortgage homes planning "
     "affordable eviction", "house prices,affordable housing,green belt",
     "housing,property,renting,planning"),
    ("education", "news", 3, "school schools pupils teachers exam exams university students "
     "tuition ofsted", "exam results,tuition fees,head teacher",
     "education,schools,universities,exams,students"),
    ("transport", "news", 3, "rail trains strike commuters motorway bus airport flights "
     "railway delays", "rail strike,high speed,train operators",
     "transport,rail,aviation,strikes,roads"),
    ("conflict", "world", 4, "ceasefire troops refugees sanctions border missile diplomats "
     "militants offensive humanitarian", "peace talks,united nations,security council",
     "conflict,refugees,diplomacy,united nations,defence"),
    ("energy", "business", 3, "energy gas electricity prices oil pipeline bills nuclear "
     "turbines grid", "energy bills,price cap,north sea",
     "energy,oil and gas,nuclear power,bills"),
    ("culture", "culture", 3, "film festival album theatre exhibition novel director actor "
     "gallery premiere orchestra", "box office,award winning,west end",
     "film,music,theatre,books,art"),
    ("science", "science", 2, "research scientists study species telescope genome vaccine "
     "experiment fossils particle", "peer reviewed,clinical trial,space agency",
     "science,space,research,genetics"),
    ("markets", "business", 3, "shares profits merger investors retail jobs stock "
     "dividend takeover earnings", "stock market,annual results,chief executive",
     "business,markets,retail,jobs,companies"),
    ("brexit", "politics", 2, "brexit customs tariffs negotiators withdrawal trade "
     "protocol", "single market,trade deal,european union",
     "brexit,european union,trade"),
    ("courts", "news", 2, "judge jury verdict appeal inquest coroner barrister "
     "tribunal", "high court,supreme court,judicial review",
     "courts,justice,inquests,law"),
    ("tennis", "sport", 1, "tennis serve tiebreak wimbledon seed quarterfinal racket",
     "grand slam,centre court", "tennis,wimbledon"),
    ("weather", "news", 2, "weather heatwave snow frost temperatures forecast wind "
     "gales sunshine", "met office,yellow warning,heat health",
     "weather,heatwave,snow,storms"),
    ("farming", "environment", 1, "farmers farming crops harvest livestock cattle "
     "subsidies soil", "food prices,animal welfare", "farming,food,countryside"),
    ("immigration", "politics", 2, "migrants asylum boats crossings visas deportation "
     "channel", "home office,small boats,home secretary",
     "immigration,asylum,home office"),
    ("royals", "news", 1, "king queen royal palace coronation prince princess "
     "monarchy", "buckingham palace,royal family", "royal family,monarchy"),
    ("travel", "travel", 1, "holiday beach hotel resort island cruise passport "
     "itinerary", "travel guide,city break", "travel,holidays,hotels"),
    ("opinion", "opinion", 3, "argue argument believe surely frankly readers "
     "columnist", "the truth is,let us be clear", "opinion,comment,analysis"),
    ("local", "news", 3, "parish residents neighbours bypass library closure "
     "volunteers village", "town hall,parish council,county council",
     "local news,councils,community"),
]
# fmt: on

SECTIONS_EXTRA = {"news": 8, "world": 4, "business": 2, "sport": 2, "opinion": 2}
STATUSES = (
    ("published", 70),
    ("archived", 9),
    ("draft", 8),
    ("in_review", 4),
    ("ready", 3),
    ("scheduled", 2),
    ("withdrawn", 4),
)
GENERIC_TAGS = 200
SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "ca",
    "ce",
    "co",
    "cu",
    "da",
    "de",
    "di",
    "do",
    "du",
    "fa",
    "fe",
    "fi",
    "fo",
    "ga",
    "ge",
    "go",
    "ha",
    "he",
    "hi",
    "ho",
    "ja",
    "jo",
    "ka",
    "ke",
    "ki",
    "ko",
    "la",
    "le",
    "li",
    "lo",
    "lu",
    "ma",
    "me",
    "mi",
    "mo",
    "mu",
    "na",
    "ne",
    "ni",
    "no",
    "nu",
    "pa",
    "pe",
    "pi",
    "po",
    "ra",
    "re",
    "ri",
    "ro",
    "ru",
    "sa",
    "se",
    "si",
    "so",
    "su",
    "ta",
    "te",
    "ti",
    "to",
    "tu",
    "va",
    "ve",
    "vi",
    "vo",
    "wa",
    "we",
    "wi",
    "ya",
    "yo",
    "za",
    "zo",
    "bar",
    "ben",
    "cor",
    "dan",
    "del",
    "fan",
    "gan",
    "har",
    "kel",
    "lan",
    "mar",
    "mer",
    "nor",
    "par",
    "ran",
    "sel",
    "tan",
    "ter",
    "val",
    "ver",
    "win",
]
CODAS = ("", "", "", "n", "r", "s", "l", "t", "nd", "st", "rk", "m")
TAIL_WORDS = 3600  # made-up words below the real ones
PEOPLE = 20000
PLACES = 1500
START = datetime(2020, 6, 1, tzinfo=UTC)
SPAN = timedelta(days=6 * 365)


def _pseudo_words(rng: random.Random, count: int, taken: set[str], syllables: int) -> list[str]:
    words: list[str] = []
    while len(words) < count:
        n = rng.randint(max(1, syllables - 1), syllables + 1)
        word = "".join(rng.choice(SYLLABLES) for _ in range(n)) + rng.choice(CODAS)
        if len(word) >= 4 and word not in taken:
            taken.add(word)
            words.append(word)
    return words


def _zipf_cum(n: int, s: float, offset: float = 1.0) -> list[float]:
    total = 0.0
    cum = []
    for rank in range(n):
        total += 1.0 / (rank + offset) ** s
        cum.append(total)
    return cum


@dataclass
class Vocabulary:
    """Every list the generator draws from, derived from the seed alone."""

    words: list[str]
    word_cum: list[float]
    people: list[str]
    people_cum: list[float]
    places: list[str]
    places_cum: list[float]
    reporters: list[str]
    topics: list[dict[str, Any]]
    topic_cum: list[float]
    generic_tags: list[str]
    generic_tag_cum: list[float]
    sections: list[str]

    @classmethod
    def build(cls, seed: int) -> Vocabulary:
        rng = random.Random(seed)
        taken = set(COMMON_WORDS)
        topic_words = {w for t in TOPICS for w in (t[3] + " " + t[4].replace(",", " ")).split()}
        taken |= topic_words
        tail = _pseudo_words(rng, TAIL_WORDS, taken, 3)
        words = list(dict.fromkeys(COMMON_WORDS)) + tail
        # A little shuffling inside the tail keeps made-up words from sorting by length.
        people = [w.capitalize() for w in _pseudo_words(rng, PEOPLE, taken, 3)]
        places = [w.capitalize() for w in _pseudo_words(rng, PLACES, taken, 2)]
        first = [w.capitalize() for w in _pseudo_words(rng, 150, taken, 2)]
        reporters = [f"{rng.choice(first)} {rng.choice(people[:3000])}" for _ in range(400)]
        topics = []
        for name, section, weight, twords, phrases, tags in TOPICS:
            topics.append(
                {
                    "name": name,
                    "section": section,
                    "weight": weight,
                    "words": twords.split(),
                    "phrases": phrases.split(","),
                    "tags": tags.split(","),
                }
            )
        topic_cum = list(itertools.accumulate(t["weight"] for t in topics))
        topic_tags = {tag for t in topics for tag in t["tags"]}
        generic = (
            [p.lower() for p in places[:164]]
            + [f"{p.lower()} {w}" for p, w in zip(people[:30], tail[:30], strict=True)]
            + ["analysis", "explainer", "live", "interview", "investigation", "obituary"]
        )
        generic = [g for g in dict.fromkeys(generic) if g not in topic_tags][:GENERIC_TAGS]
        sections = sorted({t["section"] for t in topics} | set(SECTIONS_EXTRA))
        return cls(
            words=words,
            word_cum=_zipf_cum(len(words), 1.05),
            people=people,
            people_cum=_zipf_cum(len(people), 1.0, 3.0),
            places=places,
            places_cum=_zipf_cum(len(places), 1.0, 2.0),
            reporters=reporters,
            topics=topics,
            topic_cum=topic_cum,
            generic_tags=generic,
            generic_tag_cum=_zipf_cum(len(generic), 1.0, 2.0),
            sections=sections,
        )

    @property
    def tag_pool_size(self) -> int:
        return len({tag for t in self.topics for tag in t["tags"]} | set(self.generic_tags))


_VOCAB: dict[int, Vocabulary] = {}


def vocabulary(seed: int) -> Vocabulary:
    if seed not in _VOCAB:
        _VOCAB[seed] = Vocabulary.build(seed)
    return _VOCAB[seed]


def _pick(rng: random.Random, items: list[Any], cum: list[float]) -> Any:
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


def _sentences(rng: random.Random, tokens: list[str]) -> str:
    """Tokens as Markdown paragraphs of sentences of 8-28 words."""
    out: list[str] = []
    paragraph: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        length = rng.randint(8, 28)
        sentence = tokens[i : i + length]
        i += length
        sentence[0] = sentence[0].capitalize()
        if len(sentence) > 10 and rng.random() < 0.4:
            cut = rng.randint(3, len(sentence) - 3)
            sentence[cut] += ","
        paragraph.append(" ".join(sentence) + ".")
        if len(paragraph) >= rng.randint(2, 5):
            out.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        out.append(" ".join(paragraph))
    return "\n\n".join(out)


def _status_cum() -> tuple[list[str], list[float]]:
    names = [s for s, _ in STATUSES]
    return names, list(itertools.accumulate(float(w) for _, w in STATUSES))


def generate_article(vocab: Vocabulary, rng: random.Random, index: int, total: int) -> dict:
    """One article as plain values (the fields of ``core.models.Article`` we set)."""
    topic = _pick(rng, vocab.topics, vocab.topic_cum)
    second = _pick(rng, vocab.topics, vocab.topic_cum) if rng.random() < 0.35 else None
    n_words = rng.randint(*WORDS_PER_ARTICLE)
    tokens = rng.choices(vocab.words, cum_weights=vocab.word_cum, k=n_words)
    # Topic words and phrases: ~4% of the words (less for a secondary topic).
    for t, share in ((topic, 0.04), (second, 0.012)):
        if t is None:
            continue
        for _ in range(int(n_words * share)):
            pos = rng.randrange(n_words)
            if rng.random() < 0.2:
                phrase = rng.choice(t["phrases"]).split()
                tokens[pos : pos + len(phrase)] = phrase
            else:
                tokens[pos] = rng.choice(t["words"])
    people = [_pick(rng, vocab.people, vocab.people_cum) for _ in range(rng.randint(2, 4))]
    place = _pick(rng, vocab.places, vocab.places_cum)
    for person in people:
        for _ in range(rng.randint(1, 3)):
            tokens[rng.randrange(len(tokens))] = person
    tokens[rng.randrange(len(tokens))] = place
    body = _sentences(rng, tokens)

    mids = rng.choices(vocab.words[40:1500], k=rng.randint(3, 7))
    head_words = [rng.choice(topic["words"]), *mids]
    rng.shuffle(head_words)
    if rng.random() < 0.5:
        head_words.insert(rng.randrange(len(head_words) + 1), people[0])
    if rng.random() < 0.3:
        head_words.insert(0, rng.choice(topic["phrases"]))
    headline = " ".join(head_words)
    headline = headline[0].upper() + headline[1:]
    stand_tokens = rng.choices(vocab.words, cum_weights=vocab.word_cum, k=rng.randint(18, 32))
    stand_tokens[rng.randrange(len(stand_tokens))] = rng.choice(topic["words"])
    stand_tokens[rng.randrange(len(stand_tokens))] = place
    standfirst = " ".join(stand_tokens).capitalize() + "."

    tags = rng.sample(topic["tags"], k=min(len(topic["tags"]), rng.randint(1, 2)))
    while len(tags) < rng.randint(2, 4):
        tag = _pick(rng, vocab.generic_tags, vocab.generic_tag_cum)
        if tag not in tags:
            tags.append(tag)
    if second is not None and len(tags) < 4:
        extra = rng.choice(second["tags"])
        if extra not in tags:
            tags.append(extra)

    section = topic["section"]
    if rng.random() < 0.15:
        section = rng.choice(vocab.sections)
    names, cum = _status_cum()
    status = names[bisect.bisect(cum, rng.random() * cum[-1])]

    # Older ids are older articles; most are touched within days, some much later.
    created = START + SPAN * (index / max(total, 1)) + timedelta(seconds=rng.randint(0, 86400))
    roll = rng.random()
    if roll < 0.7:
        updated = created + timedelta(seconds=rng.randint(60, 6 * 3600))
    elif roll < 0.95:
        updated = created + timedelta(seconds=rng.randint(6 * 3600, 20 * 86400))
    else:
        updated = created + timedelta(seconds=rng.randint(20 * 86400, 400 * 86400))
    published = status in ("published", "archived", "withdrawn")
    first_published = updated - timedelta(seconds=rng.randint(0, 3600)) if published else None
    display = first_published if published else None
    if status == "scheduled":
        display = updated + timedelta(days=rng.randint(1, 10))
    reporter = rng.choice(vocab.reporters)
    return {
        "uri": f"urn:newsdesk:article:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
        "headline": headline,
        "standfirst": standfirst,
        "kicker": topic["name"].capitalize() if rng.random() < 0.3 else "",
        "byline": f"By {reporter}",
        "authors": [reporter],
        "dateline": place.upper(),
        "section": section,
        "tags": tags,
        "body": body,
        "status": status,
        "created_at": created,
        "updated_at": max(updated, created),
        "first_published_at": first_published,
        "display_date": display,
        "words": len(tokens),
    }


def generate_batch(seed: int, start: int, count: int, total: int) -> list[dict]:
    """Articles ``start .. start+count-1``; each batch has its own seeded generator."""
    vocab = vocabulary(seed)
    rng = random.Random(seed * 1_000_003 + start)
    return [generate_article(vocab, rng, start + i, total) for i in range(count)]


def _batch_task(args: tuple[int, int, int, int]) -> list[dict]:
    return generate_batch(*args)


def iter_batches(seed: int, total: int, workers: int) -> Iterator[list[dict]]:
    """Batches in order, generated by ``workers`` processes while the caller inserts."""
    tasks = [(seed, s, min(BATCH, total - s), total) for s in range(0, total, BATCH)]
    if workers <= 0:
        for task in tasks:
            yield _batch_task(task)
        return
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        yield from pool.imap(_batch_task, tasks)


# -- rows as the store writes them ------------------------------------------------------


def _char_count(body: str) -> int:
    # Equals newsdesk.core.text.char_count for our ASCII, markup-free bodies (checked).
    return len(body) - body.count(" ") - body.count("\n")


def article_row(data: dict, article_id: int, slug: str) -> dict:
    """The ``article`` table row for ``data`` (what ``fill_row`` would write)."""
    body = data["body"]
    return {
        "id": article_id,
        "uri": data["uri"],
        "version": 1,
        "status": data["status"],
        "headline": data["headline"],
        "kicker": data["kicker"],
        "standfirst": data["standfirst"],
        "slug": slug,
        "slug_locked": False,
        "byline": data["byline"],
        "authors": data["authors"],
        "dateline": data["dateline"],
        "section": data["section"],
        "tags_text": "\n".join(data["tags"]),
        "body": body,
        "word_count": data["words"],
        "char_count": _char_count(body),
        "language": "en-GB",
        "created_at": data["created_at"],
        "updated_at": data["updated_at"],
        "first_published_at": data["first_published_at"],
        "display_date": data["display_date"],
        "embargo_until": None,
        "seo_title": "",
        "seo_description": "",
        "canonical_url": "",
        "editor_note": "",
        "image": None,
        "audio": None,
        "corrections": [],
    }


def as_article(data: dict) -> Any:
    """The same article as a core ``Article`` (for the fidelity check)."""
    from newsdesk.core.models import Article, Status

    return Article(
        headline=data["headline"],
        uri=data["uri"],
        status=Status(data["status"]),
        kicker=data["kicker"],
        standfirst=data["standfirst"],
        byline=data["byline"],
        authors=tuple(data["authors"]),
        dateline=data["dateline"],
        section=data["section"],
        tags=tuple(data["tags"]),
        body=data["body"],
        created_at=data["created_at"],
        updated_at=data["updated_at"],
        first_published_at=data["first_published_at"],
        display_date=data["display_date"],
    )


def check_fidelity(seed: int, sample: int = 40) -> None:
    """Generated rows must equal what ``fill_row(Article(...).normalized())`` writes."""
    from newsdesk.core.slugs import slugify
    from newsdesk.store.mapping import fill_row
    from newsdesk.store.schema import ArticleRow

    for data in generate_batch(seed, 0, sample, sample):
        article = as_article(data).normalized()
        row = ArticleRow()
        fill_row(row, article)
        ours = article_row(data, 0, slugify(data["headline"]))
        for key, value in ours.items():
            if key in ("id", "version"):
                continue
            theirs = getattr(row, key)
            if theirs != value:
                raise AssertionError(f"generated {key} differs from the store's: {value!r}")
        if tuple(article.tags) != tuple(data["tags"]):
            raise AssertionError("tags are normalised differently")


# -- loading ------------------------------------------------------------------------------


def load(
    engine: Any,
    seed: int,
    total: int,
    *,
    workers: int = 1,
    progress: Callable[[int, int, float], None] | None = None,
) -> dict[str, Any]:
    """Insert ``total`` articles (and their tag rows) into an empty store's tables."""
    from sqlalchemy import insert

    from newsdesk.core.slugs import slugify, unique_slug
    from newsdesk.store.schema import ArticleRow, SettingRow, TagRow

    article_table = ArticleRow.__table__
    tag_table = TagRow.__table__
    slugs: set[str] = set()
    next_id = 1
    words = 0
    started = time.perf_counter()
    for batch in iter_batches(seed, total, workers):
        rows = []
        tag_rows = []
        for data in batch:
            slug = unique_slug(slugify(data["headline"]), slugs)
            slugs.add(slug)
            rows.append(article_row(data, next_id, slug))
            tag_rows.extend(
                {"article_id": next_id, "position": i, "tag": tag}
                for i, tag in enumerate(data["tags"])
            )
            words += data["words"]
            next_id += 1
        with engine.begin() as conn:
            conn.execute(insert(article_table), rows)
            conn.execute(insert(tag_table), tag_rows)
        if progress:
            progress(next_id - 1, total, time.perf_counter() - started)
    seconds = time.perf_counter() - started
    meta = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "articles": total,
        "words": words,
        "load_seconds": round(seconds, 1),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            from sqlalchemy import text

            conn.execute(
                text("SELECT setval(pg_get_serial_sequence('article', 'id'), :n)"), {"n": total}
            )
        conn.execute(insert(SettingRow.__table__), [{"key": CORPUS_KEY, "value": meta}])
    return meta


def write_meta(engine: Any, meta: dict[str, Any]) -> None:
    from sqlalchemy import update

    from newsdesk.store.schema import SettingRow

    with engine.begin() as conn:
        conn.execute(update(SettingRow).where(SettingRow.key == CORPUS_KEY).values(value=meta))
    engine.dispose()


def read_meta(engine: Any) -> dict[str, Any] | None:
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from newsdesk.store.schema import SettingRow

    try:
        with engine.connect() as conn:
            value = conn.execute(
                select(SettingRow.value).where(SettingRow.key == CORPUS_KEY)
            ).scalar()
    except SQLAlchemyError:
        return None
    if isinstance(value, str):
        value = json.loads(value)
    return value


def query_names(seed: int) -> dict[str, str]:
    """People's names of known rarity, for the search queries."""
    people = vocabulary(seed).people
    return {"common_name": people[2], "mid_name": people[400], "rare_name": people[12000]}
