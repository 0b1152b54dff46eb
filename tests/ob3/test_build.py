import dataclasses
import json
import math
import random
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

import pytest

from ob3.build import (
    BuildError,
    CohortBuilder,
    build_achievement,
    build_credential,
    build_profile,
    format_datetime,
    json_number,
)
from ob3.documents import OB_EXTENSIONS, OB_V3P0, VC_V2
from ob3.errors import Ob3Error
from ob3.model import (
    OB_ACHIEVEMENT_CREDENTIAL_SCHEMA,
    Achievement,
    CredentialDraft,
    Criteria,
    Profile,
    Recipient,
    StatusEntry,
)
from ob3.recipient import hash_email
from ob3.schema import validate_schema
from tests.ob3.factories import random_draft, realistic_draft

EXTRA_CONTEXT = "https://mikromerit.example/contexts/v1.json"
WHEN = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def minimal_draft(**overrides) -> CredentialDraft:
    draft = CredentialDraft(
        id="urn:uuid:00000000-0000-4000-8000-000000000001",
        issuer=Profile(id="https://issuer.example/issuers/1", name="Issuer"),
        achievement=Achievement(id="https://issuer.example/achievements/1", name="Teamwork",
                                description="Works in teams.", criteria=Criteria()),
        recipient=Recipient(did="did:key:z6MkRecipient"),
        valid_from=WHEN,
        credential_schema=(),
    )
    return dataclasses.replace(draft, **overrides)


def with_achievement(draft: CredentialDraft, **changes) -> CredentialDraft:
    return dataclasses.replace(draft, achievement=dataclasses.replace(draft.achievement, **changes))


def walk(value, path="$"):
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk(item, f"{path}[{i}]")


# --- shape -----------------------------------------------------------------------------------------

def test_realistic_credential_shape():
    draft = realistic_draft()
    c = build_credential(draft)
    assert list(c)[:4] == ["@context", "id", "type", "name"]
    assert c["@context"] == [VC_V2, OB_V3P0, OB_EXTENSIONS]
    assert c["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert c["name"] == draft.achievement.name
    assert c["validFrom"] == "2025-06-13T10:30:00Z"
    assert c["validUntil"] == "2030-06-13T10:30:00Z"
    assert c["awardedDate"] == "2025-06-12T13:00:00Z"  # +02:00 normalised to UTC
    assert c["credentialSchema"] == [{"id": OB_ACHIEVEMENT_CREDENTIAL_SCHEMA,
                                      "type": "1EdTechJsonSchemaValidator2019"}]

    issuer = c["issuer"]
    assert issuer["type"] == ["Profile"]
    assert issuer["address"]["type"] == ["Address"]
    assert issuer["address"]["addressCountryCode"] == "SE"
    assert issuer["image"]["type"] == "Image"
    assert issuer["otherIdentifier"] == [{"type": "IdentifierEntry", "identifier": "202100-0000",
                                          "identifierType": "ext:SEOrgNr"}]

    subject = c["credentialSubject"]
    assert "id" not in subject
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"] == [
        {"type": "IdentityObject", "hashed": True, "identityType": "emailAddress",
         "identityHash": hash_email("asa.oberg@exempel.se", "c2a1f0e9d8b7a6f5"), "salt": "c2a1f0e9d8b7a6f5"},
        {"type": "IdentityObject", "hashed": False, "identityType": "name", "identityHash": "Åsa Öberg"},
    ]
    assert subject["activityStartDate"] == "2025-03-24T08:00:00Z"
    assert subject["creditsEarned"] == 3

    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["image"] == {"id": "https://mikromerit.example/media/badges/dataanalys-python.png",
                                    "type": "Image", "caption": "Märke: Grundläggande dataanalys med Python"}
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["inLanguage"] == "sv"
    assert achievement["related"][0]["type"] == ["Related"]
    rd = achievement["resultDescription"][0]
    assert rd["type"] == ["ResultDescription"]
    assert rd["allowedValue"] == ["U", "G", "VG"]
    assert [level["type"] for level in rd["rubricCriterionLevel"]] == [["RubricCriterionLevel"]] * 3
    assert rd["alignment"][0]["type"] == ["Alignment"]
    assert rd["alignment"][0]["targetUrl"].startswith("http://data.europa.eu/esco/skill/")

    result = subject["result"][0]
    assert result == {"type": ["Result"], "resultDescription": rd["id"],
                      "achievedLevel": rd["rubricCriterionLevel"][2]["id"], "value": "VG"}
    assert c["evidence"][1] == {"type": ["Evidence"], "narrative": "Muntlig redovisning vid seminarium 2025-06-10."}
    assert c["credentialStatus"] == {
        "id": "https://mikromerit.example/status/3f6c1a/revocation#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://mikromerit.example/status/3f6c1a/revocation",
    }


def test_explicit_name_wins_over_achievement_name():
    assert build_credential(minimal_draft(name="Lagarbete"))["name"] == "Lagarbete"


def test_image_type_is_a_string_and_type_elsewhere_is_an_array():
    c = build_credential(realistic_draft())
    for path, value in walk(c):
        if isinstance(value, dict) and "type" in value:
            if value["type"] in ("Image", "IdentityObject", "IdentifierEntry", "BitstringStatusListEntry",
                                 "1EdTechJsonSchemaValidator2019"):
                continue
            assert isinstance(value["type"], list), path


def test_build_profile_and_achievement_are_public_and_schema_valid():
    draft = realistic_draft()
    profile = build_profile(draft.issuer)
    assert "@context" not in profile
    assert validate_schema(profile, "profile") == []
    achievement = build_achievement(draft.achievement)
    assert achievement == build_credential(draft)["credentialSubject"]["achievement"]


# --- @context --------------------------------------------------------------------------------------

def test_context_without_1edtech_types_has_no_extensions_context():
    assert build_credential(minimal_draft())["@context"] == [VC_V2, OB_V3P0]


def test_extra_contexts_come_last_and_are_not_duplicated():
    draft = minimal_draft(credential_schema=(OB_ACHIEVEMENT_CREDENTIAL_SCHEMA,),
                          extra_contexts=(EXTRA_CONTEXT, OB_V3P0, OB_EXTENSIONS))
    assert build_credential(draft)["@context"] == [VC_V2, OB_V3P0, OB_EXTENSIONS, EXTRA_CONTEXT]


def test_1edtech_type_in_an_extension_pulls_in_the_extensions_context():
    draft = minimal_draft(extensions={"refreshService": {"id": "https://issuer.example/refresh/1",
                                                         "type": "1EdTechCredentialRefresh"}})
    c = build_credential(draft)
    assert c["@context"] == [VC_V2, OB_V3P0, OB_EXTENSIONS]
    assert list(c)[-1] == "refreshService"


# --- omission and determinism ----------------------------------------------------------------------

def test_minimal_credential_has_no_nulls_or_empty_arrays():
    c = build_credential(minimal_draft())
    for path, value in walk(c):
        assert value is not None, path
        assert value != [], path
    assert c["credentialSubject"]["achievement"]["criteria"] == {}  # required, so kept even when empty
    for absent in ("description", "image", "validUntil", "awardedDate", "evidence", "credentialStatus",
                   "credentialSchema"):
        assert absent not in c
    assert c["credentialSubject"] == {
        "id": "did:key:z6MkRecipient",
        "type": ["AchievementSubject"],
        "achievement": {"id": "https://issuer.example/achievements/1", "type": ["Achievement"],
                        "name": "Teamwork", "description": "Works in teams.", "criteria": {}},
    }


def test_random_drafts_never_emit_nulls_or_empty_arrays():
    for seed in range(100):
        for path, value in walk(build_credential(random_draft(random.Random(seed)))):
            assert value is not None and value != [], (seed, path)


def test_same_draft_gives_identical_output():
    first, second = build_credential(realistic_draft()), build_credential(realistic_draft())
    assert first == second
    assert json.dumps(first) == json.dumps(second)
    for seed in range(50):
        a = build_credential(random_draft(random.Random(seed)))
        b = build_credential(random_draft(random.Random(seed)))
        assert json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


def test_output_does_not_alias_the_draft():
    payload = {"items": ["a"]}
    draft = minimal_draft(extensions={"extra": payload})
    c = build_credential(draft)
    c["extra"]["items"].append("b")
    assert payload == {"items": ["a"]}


def test_a_cohort_builder_gives_each_credential_what_build_credential_gives():
    shared = realistic_draft()
    cohort = [dataclasses.replace(shared, id=f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
                                  recipient=Recipient(email=f"learner{n}@example.org", salt=f"salt{n}"))
              for n in range(3)]
    others = [random_draft(random.Random(seed)) for seed in range(20)]  # nothing shared: built each time
    builder = CohortBuilder()
    for draft in [*cohort, *others, *cohort]:
        assert json.dumps(builder.build(draft)) == json.dumps(build_credential(draft))


def test_a_cohort_builders_credentials_share_no_dict_or_list():
    builder = CohortBuilder()
    draft = realistic_draft()
    first, second = builder.build(draft), builder.build(dataclasses.replace(draft, id="urn:uuid:2"))

    first["credentialSubject"]["achievement"]["criteria"]["narrative"] = "changed"
    first["issuer"]["name"] = "changed"

    assert second == build_credential(dataclasses.replace(draft, id="urn:uuid:2"))
    assert builder.build(draft) == build_credential(draft)


def test_random_drafts_serialise_as_strict_json():
    for seed in range(100):
        text = json.dumps(build_credential(random_draft(random.Random(seed))), allow_nan=False)
        assert json.loads(text) == build_credential(random_draft(random.Random(seed)))


# --- numbers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [(3.0, 3), (2.5, 2.5), (7, 7), (0.0, 0), (-0.0, 0), (0.1, 0.1)])
def test_whole_floats_become_ints(value, expected):
    c = build_credential(with_achievement(minimal_draft(credits_earned=value), credits_available=value))
    for number in (c["credentialSubject"]["creditsEarned"], c["credentialSubject"]["achievement"]["creditsAvailable"]):
        assert number == expected
        assert type(number) is type(expected)


def test_whole_float_is_written_without_fraction():
    text = json.dumps(build_credential(realistic_draft()))
    assert '"creditsAvailable": 3,' in text
    assert '"creditsEarned": 3,' in text


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, True, 2.0**53, 2**60, "3"])
def test_unusable_numbers_are_rejected(value):
    with pytest.raises(BuildError, match="creditsAvailable"):
        build_credential(with_achievement(minimal_draft(), credits_available=value))


def test_numbers_inside_extensions_are_normalised_and_checked():
    c = build_credential(minimal_draft(extensions={"extra": {"a": 4.0, "b": [1.5, None], "c": None}}))
    assert c["extra"] == {"a": 4, "b": [1.5]}
    assert type(c["extra"]["a"]) is int
    with pytest.raises(BuildError, match=r"extensions\.extra\.a"):
        build_credential(minimal_draft(extensions={"extra": {"a": math.nan}}))


def test_json_number_helper():
    assert json_number(1e15, "x") == 10**15
    with pytest.raises(BuildError):
        json_number(None, "x")


# --- datetimes -------------------------------------------------------------------------------------

def test_naive_datetime_is_rejected_with_a_clear_error():
    with pytest.raises(BuildError, match=r"validFrom: naive datetime") as info:
        build_credential(minimal_draft(valid_from=datetime(2025, 1, 1, 12, 0)))
    assert isinstance(info.value, Ob3Error)


@pytest.mark.parametrize("field", ["valid_until", "awarded_date", "activity_start_date", "activity_end_date"])
def test_every_datetime_field_rejects_naive_values(field):
    with pytest.raises(BuildError, match="naive"):
        build_credential(minimal_draft(**{field: datetime(2030, 1, 1)}))


def test_fractional_seconds_are_rejected_not_truncated():
    with pytest.raises(BuildError, match="fractional seconds"):
        build_credential(minimal_draft(valid_from=WHEN.replace(microsecond=1)))


def test_offsets_are_normalised_to_utc():
    stockholm_summer = timezone(timedelta(hours=2))
    c = build_credential(minimal_draft(valid_from=datetime(2025, 1, 1, 0, 30, tzinfo=stockholm_summer)))
    assert c["validFrom"] == "2024-12-31T22:30:00Z"


def test_tzinfo_without_offset_counts_as_naive():
    class Floating(tzinfo):
        def utcoffset(self, dt):
            return None

    with pytest.raises(BuildError, match="naive"):
        format_datetime(datetime(2025, 1, 1, tzinfo=Floating()), "validFrom")


def test_dates_are_not_datetimes():
    with pytest.raises(BuildError, match="expected a datetime"):
        build_credential(minimal_draft(activity_start_date=date(2025, 1, 1)))


def test_small_years_are_zero_padded():
    assert format_datetime(datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC), "x") == "0999-01-02T03:04:05Z"


def test_valid_until_before_valid_from_is_rejected():
    with pytest.raises(BuildError, match="before validFrom"):
        build_credential(minimal_draft(valid_until=WHEN - timedelta(seconds=1)))


# --- recipient and status --------------------------------------------------------------------------

def test_email_without_salt_is_rejected():
    with pytest.raises(BuildError, match="salt"):
        build_credential(minimal_draft(recipient=Recipient(email="a@example.com")))


def test_recipient_needs_a_did_or_email():
    with pytest.raises(BuildError, match="did and/or an email"):
        build_credential(minimal_draft(recipient=Recipient(name="Anonymous")))


def test_did_and_email_together():
    c = build_credential(minimal_draft(recipient=Recipient(did="did:key:z6MkX", email="a@example.com", salt="s")))
    assert c["credentialSubject"]["id"] == "did:key:z6MkX"
    assert [i["identityType"] for i in c["credentialSubject"]["identifier"]] == ["emailAddress"]


@pytest.mark.parametrize(("index", "purpose"), [(-1, "revocation"), (True, "revocation"), ("5", "revocation"),
                                                 (5, "message")])
def test_bad_status_entries_are_rejected(index, purpose):
    status = StatusEntry(status_list_credential="https://x.example/status/1", status_list_index=index,
                         status_purpose=purpose)
    with pytest.raises(BuildError, match="credentialStatus"):
        build_credential(minimal_draft(status=status))


def test_suspension_entry():
    status = StatusEntry(status_list_credential="https://x.example/s", status_list_index=0,
                         status_purpose="suspension")
    entry = build_credential(minimal_draft(status=status))["credentialStatus"]
    assert entry["statusPurpose"] == "suspension"
    assert entry["statusListIndex"] == "0"
    assert entry["id"] == "https://x.example/s#0"


# --- extensions ------------------------------------------------------------------------------------

def test_extensions_are_merged_at_the_end():
    c = build_credential(minimal_draft(extensions={"termsOfUse": [{"type": "TrustFrameworkPolicy"}]}))
    assert list(c)[-1] == "termsOfUse"


@pytest.mark.parametrize("key", ["name", "issuer", "credentialSubject", "@context", "validUntil", "proof"])
def test_extension_colliding_with_a_builder_key_raises(key):
    with pytest.raises(BuildError, match=repr(key)):
        build_credential(minimal_draft(extensions={key: "x"}))


def test_achievement_extensions_are_merged_and_guarded():
    draft = with_achievement(minimal_draft(), extensions={"ects": 3.0})
    assert build_credential(draft)["credentialSubject"]["achievement"]["ects"] == 3
    with pytest.raises(BuildError, match="achievement.extensions"):
        build_credential(with_achievement(minimal_draft(), extensions={"creditsAvailable": 3}))


def test_extension_values_must_be_json():
    with pytest.raises(BuildError, match="not a JSON value"):
        build_credential(minimal_draft(extensions={"extra": {1, 2}}))


def test_floats_too_small_for_jsonld_js_are_refused():
    from ob3.build import BuildError, json_number

    with pytest.raises(BuildError, match="too small to sign interoperably"):
        json_number(1e-7, "creditsAvailable")
    assert json_number(0.000125, "creditsAvailable") == 0.000125
