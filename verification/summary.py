"""What a verification page shows of a credential, read from the signed document (so a foreign
credential reads the same way): who issued it, what was achieved, how it was assessed and quality-assured."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Choices

from badges.models import Achievement, AssessmentType, QualityAssuranceType
from ob3.values import as_list


# --- What the page shows: read from the signed document, so a foreign credential reads the same way ----
def _text(value: Any) -> str:
    """A plain string from a JSON-LD value (a string, or a language map / value object)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _text(value.get("@value") or next(iter(value.values()), ""))
    if isinstance(value, list) and value:
        return _text(value[0])
    return ""


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _label(choices: type[Choices], value: Any) -> str:
    """The translated label of an extension code we know (e.g. "practical-demonstration"), else the code."""
    code = _text(value)
    return str(dict(choices.choices).get(code, code))


def credential_summary(document: Mapping[str, Any] | None) -> dict[str, Any]:
    """The four things an employer asks — who issued it, what was achieved, how it was assessed, how it
    is quality-assured — plus holder, dates and public evidence, as plain values for a template."""
    if not isinstance(document, Mapping):
        return {}
    subjects = as_list(document.get("credentialSubject"))
    subject = _obj(subjects[0] if subjects else {})
    achievement = _obj(subject.get("achievement"))
    descriptions = {
        entry.get("id"): entry for entry in as_list(achievement.get("resultDescription")) if isinstance(entry, dict)
    }
    return {
        "name": _text(document.get("name")) or _text(achievement.get("name")),
        "issuer": _issuer(document),
        "holder": _holder(subject),
        "valid_from": _text(document.get("validFrom")),
        "valid_until": _text(document.get("validUntil")),
        "awarded": _text(document.get("awardedDate")),
        "achievement": _achievement(achievement, descriptions),
        "results": _results(subject, descriptions),
        "quality": _quality(_obj(achievement.get("qualityAssurance"))),
        "evidence": _evidence(document),
    }


def _issuer(document: Mapping[str, Any]) -> dict[str, Any]:
    issuer = _obj(document.get("issuer"))
    address = _obj(issuer.get("address"))
    identifiers = [
        _text(entry.get("identifier")) for entry in as_list(issuer.get("otherIdentifier")) if isinstance(entry, dict)
    ]
    return {
        "id": _text(issuer.get("id")) or _text(document.get("issuer")),
        "name": _text(issuer.get("name")),
        "url": _text(issuer.get("url")),
        "country": _text(address.get("addressCountryCode")) or _text(address.get("addressCountry")),
        "locality": _text(address.get("addressLocality")),
        "identifiers": [value for value in identifiers if value],
    }


def _holder(subject: Mapping[str, Any]) -> str:
    """The holder's name, where the issuer put it in the clear (an unhashed "name" identifier)."""
    return next(
        (
            _text(entry.get("identityHash"))
            for entry in as_list(subject.get("identifier"))
            if isinstance(entry, dict) and entry.get("identityType") == "name" and entry.get("hashed") is False
        ),
        "",
    )


def _results(subject: Mapping[str, Any], descriptions: Mapping[Any, Any]) -> list[dict[str, Any]]:
    results = []
    for result in as_list(subject.get("result")):
        if not isinstance(result, dict):
            continue
        description = _obj(descriptions.get(result.get("resultDescription")))
        levels = [level for level in as_list(description.get("rubricCriterionLevel")) if isinstance(level, dict)]
        achieved = next((level for level in levels if level.get("id") == result.get("achievedLevel")), {})
        required = next((level for level in levels if level.get("id") == description.get("requiredLevel")), {})
        results.append({
            "outcome": _text(description.get("name")) or _text(result.get("resultDescription")),
            "level": _text(achieved.get("name")) or _text(result.get("value")),
            "level_description": _text(achieved.get("description")),
            "levels": [_text(level.get("name")) for level in levels],
            "required": _text(required.get("name")),
            "status": _text(result.get("status")),
        })
    return results


def _achievement(achievement: Mapping[str, Any], descriptions: Mapping[Any, Any]) -> dict[str, Any]:
    outcomes = [
        {"statement": _text(entry.get("statement")), "kind": _text(entry.get("kind")),
         "esco": _text(entry.get("escoSkill"))}
        for entry in as_list(achievement.get("learningOutcome")) if isinstance(entry, dict)
    ] or [{"statement": _text(entry.get("name")), "kind": "", "esco": ""} for entry in descriptions.values()]
    credit = _obj(achievement.get("creditPoints"))
    return {
        "id": _text(achievement.get("id")),
        "name": _text(achievement.get("name")),
        "description": _text(achievement.get("description")),
        "criteria": _text(_obj(achievement.get("criteria")).get("narrative")),
        "type": _text(achievement.get("achievementType")),
        "in_language": _text(achievement.get("inLanguage")),
        # Other language editions the issuer links (OB `related`); only web addresses can be opened.
        "editions": [
            {"url": entry["id"], "language": _text(entry.get("inLanguage"))}
            for entry in as_list(achievement.get("related"))
            if isinstance(entry, dict) and str(entry.get("id", "")).startswith(("https://", "http://"))
            and _text(entry.get("inLanguage"))
        ],
        "outcomes": [outcome for outcome in outcomes if outcome["statement"]],
        "eqf_level": achievement.get("eqfLevel"),
        "seqf_level": achievement.get("seqfLevel"),
        "workload_hours": _text(achievement.get("workloadHours")),
        "credit_points": _text(credit.get("value")),
        "credit_unit": _text(credit.get("unitLabel")) or _text(credit.get("unit")),
        "assessment_types": [_label(AssessmentType, value) for value in as_list(achievement.get("assessmentType"))],
        "participation": _label(Achievement.ParticipationForm, achievement.get("participationForm")),
        "supervision": _label(Achievement.Supervision, achievement.get("supervision")),
    }


def _quality(qa: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "types": [_label(QualityAssuranceType, value) for value in as_list(qa.get("qaType"))],
        "internal": _text(qa.get("internalProcess")),
        "external": _text(qa.get("externalProcess")),
        "body": _text(qa.get("responsibleBody")),
        "body_url": _text(qa.get("responsibleBodyUrl")),
    }


def _evidence(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Public evidence; only an https address is offered as a link."""
    return [
        {"name": _text(entry.get("name")), "url": entry.get("id") if str(entry.get("id", "")).startswith("https://")
         else "", "description": _text(entry.get("description")), "narrative": _text(entry.get("narrative"))}
        for entry in as_list(document.get("evidence")) if isinstance(entry, dict)
    ]
