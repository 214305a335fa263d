"""A byline with a role is one author with a job title in every export, never two people."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from newsdesk.publish.exporting.export import export

from .dom import find_all, meta_map, parse
from .fakes import ListStore
from .samples import other, story

ROLE = story(
    byline="Min-ji Park, Seoul correspondent", authors=(), slug="seoul-story", section="World"
)
PAIR = other(7, byline="By Jane Doe and John Roe, Health reporters", slug="pair-story")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bylines") / "out"
    report = export(ListStore([ROLE, PAIR]), out)
    assert report.problems == []
    return out


def page(out: Path, slug: str) -> tuple[dict[str, object], dict[str, list[str]]]:
    (path,) = (out / "site").rglob(f"{slug}/index.html")
    root = parse(path.read_bytes().decode("utf-8"))
    (script,) = [s for s in find_all(root, "script") if s.get("type") == "application/ld+json"]
    return json.loads(script.text or ""), meta_map(root)


def test_json_ld_has_one_author_with_a_job_title(exported: Path) -> None:
    data, meta = page(exported, "seoul-story")
    assert data["author"] == [
        {"@type": "Person", "name": "Min-ji Park", "jobTitle": "Seoul correspondent"}
    ]
    assert meta["article:author"] == ["Min-ji Park"]
    assert meta["author"] == ["Min-ji Park"]
    data, meta = page(exported, "pair-story")
    assert data["author"] == [
        {"@type": "Person", "name": "Jane Doe", "jobTitle": "Health reporters"},
        {"@type": "Person", "name": "John Roe", "jobTitle": "Health reporters"},
    ]
    assert meta["article:author"] == ["Jane Doe", "John Roe"]


def test_ninjs_by_keeps_the_role_and_people_holds_the_person_once(
    exported: Path, ninjs_validator: jsonschema.Draft202012Validator
) -> None:
    (path,) = (exported / "ninjs").rglob("seoul-story.json")
    document = json.loads(path.read_bytes())
    assert document["by"] == "Min-ji Park, Seoul correspondent"
    assert document["people"] == [{"name": "Min-ji Park", "rel": "author"}]
    assert list(ninjs_validator.iter_errors(document)) == []
    (path,) = (exported / "ninjs").rglob("pair-story.json")
    document = json.loads(path.read_bytes())
    assert [p["name"] for p in document["people"]] == ["Jane Doe", "John Roe"]


def test_markdown_front_matter_lists_names_only(exported: Path) -> None:
    (path,) = (exported / "markdown").rglob("seoul-story*.md")
    front = yaml.safe_load(path.read_text("utf-8").split("---")[1])
    assert front["byline"] == "Min-ji Park, Seoul correspondent"  # as typed
    assert front["authors"] == ["Min-ji Park"]
