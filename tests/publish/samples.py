"""Sample articles for the publishing tests: a realistic news story and hostile content."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.core.models import Article, Media, PublicationProfile, RelatedLink, Status

PROFILE = PublicationProfile()
BASE = datetime(2026, 1, 17, 9, 30, tzinfo=UTC)

STORY_BODY = """\
Volunteers across the borough have repaired around 1,100 bicycles since the scheme opened \
in the spring, according to figures released by the council on Friday.

The workshops, held in three former shop units on the high street, were meant to run for six \
weeks. They are still open, and at least 100 people now attend each Saturday.

"We thought we would fix a few punctures," said Priya Natarajan, who coordinates the \
volunteers. "Instead we have people queuing at the door before we unlock it."

Officials said the scheme cost £42,000 in its first year, most of it spent on rent and tools. \
The council estimates that the repaired bikes have replaced upwards of 3,000 car journeys a week.

## How the scheme works

Residents bring a bicycle, a volunteer diagnoses the fault, and the owner does the repair with \
help. Parts are sold at cost; labour is free.

- Saturdays: 9am to 4pm, no appointment needed
- Wednesdays: evening sessions for women and non-binary riders
- Schools: a travelling workshop visits one primary school a month

Tom Achebe, the council's cabinet member for transport, said the numbers had surprised \
officials. "It is the cheapest transport intervention we have made in a decade," he said.

Not everyone is convinced. Local cycle shops say the free labour has cost them trade, and one \
owner, Margaret Ellis, said she had lost "perhaps a fifth" of her repair income.

> We are not against the scheme. We are against a council competing with the
> businesses it is supposed to support.

The council said it would meet shop owners next month to discuss referring complex repairs to \
local businesses[^1].

| Year | Bikes repaired | Volunteers |
|:-----|---------------:|-----------:|
| 2024 | 310 | 12 |
| 2025 | 790 | 41 |

Ms Natarajan said the next goal was a permanent site. "Six weeks became two years," she said. \
"We would like the next two years to feel a little less temporary."

[^1]: The meeting is scheduled for 12 February at the town hall.
"""


def story(**changes: object) -> Article:
    """A published news story with every field a page shows."""
    fields: dict[str, object] = {
        "headline": "The Borough's Quiet Fix: Over 1,000 Bicycles Back on the Road",
        "uri": "urn:newsdesk:article:00000000-0000-4000-8000-000000000001",
        "id": 1,
        "version": 3,
        "status": Status.PUBLISHED,
        "kicker": "Transport",
        "standfirst": (
            "A volunteer repair scheme meant to last six weeks has kept going for two years, "
            "and the council now says it is the cheapest transport policy it has."
        ),
        "slug": "boroughs-quiet-fix-bicycles",
        "byline": "Helen Park",
        "authors": ("Helen Park",),
        "dateline": "Walthamstow",
        "section": "UK News",
        "tags": ("cycling", "local government"),
        "body": STORY_BODY,
        "language": "en-GB",
        "created_at": BASE - timedelta(days=1),
        "updated_at": BASE + timedelta(hours=2),
        "first_published_at": BASE,
        "display_date": BASE,
        "audio": Media(
            src="media/quiet-fix.mp3",
            mime_type="audio/mpeg",
            duration_seconds=272,
            credit="Read by Sam Okoro",
        ),
        "related": (),
    }
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


def other(number: int, **changes: object) -> Article:
    """A short published article in the World section."""
    fields: dict[str, object] = {
        "headline": f"Harbour authority orders review number {number}",
        "uri": f"urn:newsdesk:article:00000000-0000-4000-8000-{number:012d}",
        "id": 100 + number,
        "version": 1,
        "status": Status.PUBLISHED,
        "slug": f"harbour-review-{number}",
        "section": "World",
        "standfirst": "Officials said the review would report by the summer.",
        "byline": "Dan Ruiz",
        "body": f"The harbour authority ordered review {number} on Tuesday.\n\nIt reports soon.",
        "created_at": BASE - timedelta(days=number),
        "updated_at": BASE - timedelta(days=number) + timedelta(hours=1),
        "first_published_at": BASE - timedelta(days=number),
    }
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


def linked(article: Article, *targets: Article, external: tuple[str, ...] = ()) -> Article:
    links = [RelatedLink(title=t.headline, target_uri=t.uri) for t in targets]
    links += [RelatedLink(title="What other boroughs learned", url=url) for url in external]
    return Article(**{**_fields(article), "related": tuple(links)})


def _fields(article: Article) -> dict[str, object]:
    return {name: getattr(article, name) for name in Article.__dataclass_fields__}
