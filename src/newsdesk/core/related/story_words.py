"""The words of a news story spelled one way, for telling which event it reports.

"U.S.", "US" and "United States" are one word here; so are "quits", "resigns" and "steps
down", "Russian" and "Russia", "£80m" and "£80 million", "two" and "2", "24-hour" and
"one-day". Words are folded and stemmed as the search index stems them
(:mod:`newsdesk.core.stemming`). Names are the words written with a capital where no
sentence starts ("Stuart Hemmings", "Strait of Hormuz"). The same-story rule
(:mod:`newsdesk.core.related.same_story`) and the suggestions
(:mod:`newsdesk.core.related.suggest`) read stories through these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from newsdesk.core.search import STOP_WORDS
from newsdesk.core.stemming import fold, stem

# Phrases first (on folded text, whole words): abbreviations and multi-word synonyms.
_PHRASES: tuple[tuple[str, str], ...] = (
    ("united states of america", "us"),
    ("united states", "us"),
    ("united kingdom", "uk"),
    ("great britain", "uk"),
    ("european union", "eu"),
    ("bank of england", "boe"),
    ("federal reserve", "fed"),
    ("london underground", "tube"),
    ("accident and emergency", "ae"),
    ("a&e", "ae"),
    ("emergency departments", "ae"),
    ("emergency department", "ae"),
    ("prime minister", "pm"),
    ("office for national statistics", "ons"),
    ("competition and markets authority", "cma"),
    ("people's liberation army", "pla"),
    ("per cent", "percent"),
    ("stood down", "resigns"),
    ("steps down", "resigns"),
    ("stepped down", "resigns"),
    ("step down", "resigns"),
    ("parted company", "sacked"),
    ("part company", "sacked"),
    ("walk out", "strike"),
    ("close to", "near"),
    ("called off", "suspended"),
    ("call off", "suspend"),
    ("calls off", "suspends"),
    ("war games", "drills"),
    ("go up", "rise"),
    ("goes up", "rise"),
    ("come down", "fall"),
    ("comes down", "fall"),
)
_PHRASE = re.compile(r"(?<![\w&])(" + "|".join(re.escape(p) for p, _ in _PHRASES) + r")(?![\w&])")
_PHRASE_FOR = dict(_PHRASES)
_PHRASE_STARTS = frozenset(p.split()[0] for p, _ in _PHRASES)
_DIGIT = re.compile(r"\d")

_MONTHS = "january february march april may june july august september october november december"

COUNTRY_WORDS: dict[str, str] = {
    "russian": "russia", "ukrainian": "ukraine", "chinese": "china", "german": "germany",
    "french": "france", "greek": "greece", "turkish": "turkey", "japanese": "japan",
    "iranian": "iran", "iraqi": "iraq", "israeli": "israel", "indian": "india",
    "pakistani": "pakistan", "syrian": "syria", "egyptian": "egypt", "saudi": "saudi",
    "european": "europe", "danish": "denmark", "dutch": "netherlands",
    "portuguese": "portugal", "spanish": "spain", "italian": "italy", "polish": "poland",
    "swiss": "switzerland", "swedish": "sweden", "norwegian": "norway", "irish": "ireland",
    "scottish": "scotland", "welsh": "wales", "english": "england", "canadian": "canada",
    "mexican": "mexico", "brazilian": "brazil", "nigerian": "nigeria", "kenyan": "kenya",
    "sudanese": "sudan", "korean": "korea", "taiwanese": "taiwan", "australian": "australia",
    "colombian": "colombia", "nepali": "nepal", "nepalese": "nepal", "georgian": "georgia",
    "martian": "mars",
    # A capital stands for its government: "Beijing launches", "Moscow says".
    "beijing": "china", "moscow": "russia", "kremlin": "russia", "kyiv": "ukraine",
    "kiev": "ukraine", "tehran": "iran", "brussels": "eu", "berlin": "germany",
    "tokyo": "japan",
}  # fmt: skip
"""A people's adjective, and a capital, as its country: a Russian strike is Russia's."""
_DEMONYMS = {stem(word): stem(country) for word, country in COUNTRY_WORDS.items()}

# One spelling for words that mean the same in a headline (stems, as stem() gives them).
_SAME: tuple[tuple[str, ...], ...] = (
    ("us", "america", "american", "washington"),
    ("uk", "britain", "british", "briton"),
    ("resign", "quit"),
    ("sack", "dismiss", "oust"),
    ("dead", "di", "death", "kill", "killer", "toll", "fatal"),
    ("seiz", "seizur"),
    ("rise", "rais", "climb", "increas", "jump", "surg", "soar", "hike"),
    ("fall", "drop", "eas", "declin", "slip"),
    ("cut", "axe", "slash", "lower"),
    ("job", "post"),
    ("quak", "earthquak", "tremor"),
    ("manag", "boss"),
    ("win", "beat", "victori", "triumph", "take"),
    ("attack", "barrag", "raid", "bombard"),
    ("strike", "walkout", "stoppag"),
    ("tube", "underground"),
    ("approv", "pass"),
    ("support", "back", "endors", "bolster"),
    ("block", "halt", "reject", "prevent"),
    ("deal", "merger", "takeov"),
    ("regul", "regulat", "watchdog"),
    ("car", "vehicl", "carmak"),
    ("phone", "handset"),
    ("ship", "vessel", "tanker"),
    ("volunt", "fighter", "troop", "soldier"),
    ("truce", "ceasefir"),
    ("jail", "prison", "sentenc"),
    ("teenag", "teen"),
    ("price", "cost"),
    ("flat", "apart"),
    ("elect", "poll"),
    ("injuri", "injur", "hurt"),
    ("evacu", "flee"),
    ("charg", "fee", "admiss"),
    ("drill", "exercis", "manoeuvr"),
    ("hottest", "warmest"),
    ("inject", "jab"),
    ("shortag", "short"),
)
_CANONICAL = _DEMONYMS | {word: group[0] for group in _SAME for word in group}
PLACES = frozenset(_DEMONYMS.values()) | {"us", "uk", "eu"} | {stem(m) for m in _MONTHS.split()}
"""Names wherever they stand, a headline's first word too: countries, and months."""

_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
    "dozen": "12", "half": "0.5", "quarter": "0.25",
    "first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th",
    "sixth": "6th", "seventh": "7th", "eighth": "8th", "ninth": "9th", "tenth": "10th",
}  # fmt: skip
_SCALE = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9,
    "billion": 1e9, "tn": 1e12, "trillion": 1e12,
}  # fmt: skip
_ACRONYM = re.compile(r"\b(?:[A-Za-z]\.){2,}")
# A number: digits with thousands separators and decimals, then maybe a scale word.
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?(k|thousand|mn|m|million|bn|billion|tn"
    r"|trillion)?(?![a-z])",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"#[\w.]+|[^\W_]+")
# Stop words plus words in most news stories that say nothing of which event it is.
_IGNORED = STOP_WORDS | frozenset(
    """after amid also says said say told would could may might will new latest over
    says news report reports year years month week day days ahead least more than""".split()
)
_DIRECTION_WORDS = frozenset({"up", "down"})
"""Stop words that say which way something went: kept ("fuel duty up 3p")."""

ACTIONS: dict[str, str] = {
    "rise": "up", "up": "up", "fall": "down", "down": "down", "cut": "down",
    "win": "won", "lose": "lost", "defeat": "lost", "approv": "yes", "agre": "yes",
    "sign": "yes", "block": "stopped", "fail": "stopped", "refus": "stopped",
    "close": "stopped", "closur": "stopped", "shut": "stopped", "suspend": "stopped",
    "collaps": "stopped",
    "hold": "same", "unchang": "same", "freez": "same", "reopen": "open", "resum": "open",
    "resign": "left", "sack": "left", "appoint": "joined", "acquit": "cleared",
    "arrest": "accused", "jail": "guilty", "convict": "guilty",
    "shortlist": "shortlisted", "recal": "recalled", "fine": "fined",
}  # fmt: skip
"""What a headline says happened, by its verb (as :func:`story_words` spells it): two
headlines saying different things happened ("agree", "block"; "rises", "falls") report
two events."""


def _spell_number(match: re.Match[str]) -> str:
    whole, decimals, scale = match.group(1), match.group(2) or "", match.group(3)
    value = float(whole.replace(",", "") + decimals)
    if scale:
        value *= _SCALE[scale.lower()]
    spelled = f"{value:.4f}".rstrip("0").rstrip(".")
    return f" #{spelled} "


_COUNT_WORD = re.compile(
    r"\b(" + "|".join(w for w, n in _NUMBER_WORDS.items() if n[-1].isdigit()) + r")\b"
)


_DURATION = re.compile(r"\b(\d+)[\s-](hours?|weeks?)\b|\bweek[\s-]long\b")


def _days(match: re.Match[str]) -> str:
    """A length of time in days where it is a whole number of them: a 24-hour strike is a
    one-day strike, a one-week truce a seven-day one."""
    if match.group(1) is None:
        return "7 day"
    count, unit = int(match.group(1)), match.group(2)
    if unit.startswith("week"):
        return f"{count * 7} day"
    return f"{count // 24} day" if count % 24 == 0 else match.group(0)


_MONTH = "(" + "|".join(m[:3] + r"(?:" + m[3:] + ")?" for m in _MONTHS.split()) + ")"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DATE = re.compile(rf"\b{_DAY} {_MONTH}\b|\b{_MONTH} {_DAY}\b")


def _date(match: re.Match[str]) -> str:
    """A day of a month as one word ("14 October", "Oct 14": "d14oct"), never a count."""
    day = match.group(1) or match.group(4)
    month = (match.group(2) or match.group(3))[:3]
    return f" d{int(day)}{month} "


def _normal_text(text: str) -> str:
    # Each rewrite only where it can apply: a text is read for every entry of a list.
    if "." in text:
        text = _ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _COUNT_WORD.sub(lambda m: _NUMBER_WORDS[m.group(1)], fold(text))
    if _DIGIT.search(text):
        text = _DATE.sub(_date, text)
        text = _DURATION.sub(_days, text)
        text = _NUMBER.sub(_spell_number, text)
    elif "week" in text:
        text = _DURATION.sub(_days, text)
    if any(first in text for first in _PHRASE_STARTS):
        text = _PHRASE.sub(lambda m: f" {_PHRASE_FOR[m.group(1)]} ", text)
    return text


def story_words(text: str) -> list[str]:
    """The words of ``text`` that say which event it reports, spelled one way, in order.
    A number is ``#`` and its value ("#80000000"), a day of a month ``d14oct``."""
    found: list[str] = []
    for token in _TOKEN.findall(_normal_text(text)):
        if token[0] == "#":
            found.append(token)
        elif token in _NUMBER_WORDS:
            found.append("#" + _NUMBER_WORDS[token])
        elif token in _DIRECTION_WORDS:
            found.append(token)
        elif token not in _IGNORED and (len(token) > 1 or token.isalpha()):
            word = stem(token)
            found.append(_CANONICAL.get(word, word))
    return found


_NAME_JOINERS = frozenset({"of", "the", "de", "van", "von", "bin", "al"})
"""What may stand between two words of one name: "Strait of Hormuz", "Bank of England"."""
_CASED_WORD = re.compile(r"[^\W\d_][\w'’&-]*")
_SENTENCE_ENDS = frozenset(".!?:;")
_CAPITAL = "A-ZÀ-ÖØ-Þ\u0100-\u017f\u0391-\u03a9\u0410-\u042f"
_CAPITAL_WORD = rf"[{_CAPITAL}][\w'’&-]*"
_NAME_RUN = re.compile(
    rf"(?<![\w'’]){_CAPITAL_WORD}(?:\s+(?:(?:{'|'.join(sorted(_NAME_JOINERS))})\s+)*{_CAPITAL_WORD})*"
)


def names(text: str, *, headline: bool = False) -> set[frozenset[str]]:
    """The names in ``text``: runs of words written with a capital where a sentence does
    not start ("Stuart Hemmings", "Kharkiv", "RMT"), each as the set of its words spelled
    as :func:`story_words` spells them. A sentence's first word belongs to a name when a
    capitalised word follows it ("Harbourside Rovers sack..."). A headline in title case
    ("Rovers Sack Manager") tells nothing this way."""
    text = _ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    if headline and _title_case(_CASED_WORD.findall(text)):
        return set()
    found: set[frozenset[str]] = set()
    for run in _NAME_RUN.finditer(text):
        parts = [w for w in run.group(0).split() if w not in _NAME_JOINERS]
        at = run.start() - 1
        while at >= 0 and text[at].isspace():
            at -= 1
        if at < 0 or text[at] in _SENTENCE_ENDS:
            parts = parts if len(parts) > 1 else []  # a capital that starts a sentence
        group = frozenset(w for part in parts if part[0].isupper() for w in _name_words(part))
        if group:
            found.add(group)
    return found


@lru_cache(maxsize=1 << 14)
def _name_words(word: str) -> tuple[str, ...]:
    """One capitalised word as :func:`story_words` spells it (its first part when
    hyphenated: "Saudi-hosted" is Saudi)."""
    return tuple(story_words(re.split(r"[-‐]", word)[0]))


def _title_case(words: Iterable[str]) -> bool:
    long = [w for w in words if len(w) >= 4]
    return len(long) >= 3 and sum(w[0].isupper() for w in long) >= 0.7 * len(long)


def is_count(word: str) -> bool:
    """A number that tells events apart (as :func:`story_words` spells it): "#48", not an
    ordinal ("first Test") and not a date."""
    return word[0] == "#" and word[-1].isdigit()


def place_words(word: str) -> tuple[str, ...]:
    """The words naming the same country as ``word`` (folded), itself first: "russian" ->
    russian, russia, moscow, kremlin. Empty when ``word`` names no country."""
    country = COUNTRY_WORDS.get(word, word)
    if country not in _PLACE_FORMS:
        return ()
    return tuple(dict.fromkeys((word, *_PLACE_FORMS[country])))


_PLACE_FORMS: dict[str, tuple[str, ...]] = {}
for _word, _country in COUNTRY_WORDS.items():
    _PLACE_FORMS[_country] = (*_PLACE_FORMS.get(_country, (_country,)), _word)


def topic_stem(word: str) -> str:
    """``word`` (folded) stemmed, a country's adjective or capital as the country: the key
    the suggestions group a word's forms under ("russian", "kremlin" -> "russia")."""
    stemmed = stem(word)
    return _DEMONYMS.get(stemmed, stemmed)
