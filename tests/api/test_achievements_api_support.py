"""Shared by the achievements API tests (no tests here): addresses, a complete definition and outcome as
person to review (someone other than the author), and the console's scorecard in the API's shape."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from badges.achievements.console_support import scorecard_for
from badges.models import Achievement
from tests.api.schema_check import SchemaCheckedClient
from tests.factories import ESCO_SKILL, FULL_DEFINITION


def achievements_url(issuer: Any, *parts: Any) -> str:
    tail = "".join(f"{part}/" for part in parts)
    return f"/api/v1/issuers/{issuer.slug}/achievements/{tail}"


def client_with(secret: str) -> SchemaCheckedClient:
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


NEW_DRAFT = {
    "name": "Samarbete i arbetsgrupp",
    "description": "Du övar på att planera arbete tillsammans med andra.",
    "criteria_narrative": "Har planerat och genomfört en gemensam uppgift.",
}
# The rest of a complete definition, as JSON (decimals as strings, lists as arrays).
DEFINITION = {
    key: str(value) if isinstance(value, Decimal) else value for key, value in FULL_DEFINITION.items()
}
OUTCOME = {
    "statement": "Fördela uppgifter i en arbetsgrupp och följa upp att de blir gjorda.",
    "kind": "skill",
    "esco_skill_uri": ESCO_SKILL + "0e8d3a2b-1b6e-4f1c-9a55-cc0c1ee0c1c4",
    "assessment_criteria": "Handledaren observerar ett arbetspass och bedömer mot matrisen.",
    "rubric_levels": [
        {"name": "Inte än", "description": "Behöver stöd.", "is_pass_level": False},
        {"name": "Godkänd", "description": "Gör det själv.", "is_pass_level": True},
    ],
}


def console_scorecard(achievement: Achievement) -> dict[str, list[tuple]]:
    """The scorecard the console's designer pages show, reduced to what the API answers."""
    view = scorecard_for(Achievement.objects.get(pk=achievement.pk))
    return {
        group: [(c.key, c.name, c.meaning, c.met, [item.text for item in c.todo], c.note) for c in criteria]
        for group, criteria in (("principles", view.principles), ("eu_elements", view.eu_elements))
    }


def api_scorecard(body: dict) -> dict[str, list[tuple]]:
    card = body["scorecard"]
    return {
        group: [
            (c["key"], c["name"], c["meaning"], c["met"], [item["text"] for item in c["missing"]], c["note"])
            for c in card[group]
        ]
        for group in ("principles", "eu_elements")
    }
