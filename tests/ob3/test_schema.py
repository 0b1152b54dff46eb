import copy
import json
import random
from pathlib import Path

import pytest

from ob3.build import build_credential
from ob3.errors import Ob3Error
from ob3.model import OB_ACHIEVEMENT_CREDENTIAL_SCHEMA
from ob3.schema import (
    SCHEMA_FILES,
    SCHEMA_URLS,
    SCHEMAS_DIR,
    UnknownSchemaError,
    is_known_schema,
    json_path,
    validate_schema,
)
from tests.ob3.factories import random_draft, realistic_draft
from tests.ob3.support import SPEC_EXAMPLES, VALIDATOR, shared, shared_params

SPEC_EXAMPLE_FILES = shared_params(SPEC_EXAMPLES, "*.json")


def load(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def realistic() -> dict:
    return build_credential(realistic_draft())


@pytest.mark.parametrize("path", SPEC_EXAMPLE_FILES)
def test_spec_examples_are_valid(path):
    credential = load(path)
    schema = "endorsement" if "EndorsementCredential" in credential["type"] else "achievement"
    assert validate_schema(credential, schema) == []


def test_spec_examples_are_all_there():
    assert len(list(shared(SPEC_EXAMPLES).glob("*.json"))) == 7


def test_realistic_draft_is_valid():
    assert validate_schema(realistic()) == []


def test_random_drafts_are_valid():
    for seed in range(300):
        credential = build_credential(random_draft(random.Random(seed)))
        assert validate_schema(credential) == [], seed


def test_validator_vectors():
    assert validate_schema(load(shared(VALIDATOR, "simple.json"))) == []
    assert validate_schema(load(shared(VALIDATOR, "endorsement-valid.json")), "endorsement") == []
    assert validate_schema(load(shared(VALIDATOR, "simple-err-issuer-type.json"))) == [
        "issuer.type: ['InvalidProfile'] must contain 'Profile'",
        "proof: {…} is not of type 'array'",
    ]


# --- negative cases name the path and the problem --------------------------------------------------

def test_string_image_is_rejected():
    credential = realistic()
    credential["credentialSubject"]["achievement"]["image"] = "https://x/y.png"
    assert validate_schema(credential) == [
        "credentialSubject.achievement.image: 'https://x/y.png' is not of type 'object'"
    ]


def test_non_array_type_is_rejected():
    credential = realistic()
    credential["type"] = "OpenBadgeCredential"
    assert validate_schema(credential) == ["type: 'OpenBadgeCredential' is not of type 'array'"]


def test_type_without_open_badge_credential_is_rejected():
    credential = realistic()
    credential["type"] = ["VerifiableCredential"]
    assert validate_schema(credential) == [
        "type: ['VerifiableCredential'] must contain 'AchievementCredential' or 'OpenBadgeCredential'"
    ]


@pytest.mark.parametrize("value", ["2025-01-01T00:00:00", "2025-01-01", "1 January 2025", "2025-13-01T00:00:00Z"])
def test_date_time_format_is_enforced(value):
    credential = realistic()
    credential["validFrom"] = value
    assert validate_schema(credential) == [f"validFrom: {value!r} is not a 'date-time'"]


@pytest.mark.parametrize("value", ["2025-01-01T00:00:00+02:00", "2025-01-01T00:00:00.123Z"])
def test_date_time_with_offset_or_fraction_is_fine(value):
    credential = realistic()
    credential["validFrom"] = value
    assert validate_schema(credential) == []


def test_missing_identifier_is_reported():
    credential = realistic()
    del credential["credentialSubject"]["identifier"]
    assert validate_schema(credential) == [
        "credentialSubject: needs 'id' or at least one 'identifier' to name the recipient"
    ]


def test_identity_object_missing_its_hash_is_reported():
    credential = realistic()
    del credential["credentialSubject"]["identifier"][0]["identityHash"]
    assert validate_schema(credential) == [
        "credentialSubject.identifier[0]: 'identityHash' is a required property"
    ]


def test_identity_object_is_closed():
    credential = realistic()
    credential["credentialSubject"]["identifier"][0]["email"] = "a@example.com"
    [message] = validate_schema(credential)
    assert message.startswith("credentialSubject.identifier[0]: Additional properties are not allowed")


def test_single_proof_object_is_reported_briefly():
    credential = realistic()
    credential["proof"] = {"type": "DataIntegrityProof", "proofValue": "z" + "1" * 500}
    assert validate_schema(credential) == ["proof: {…} is not of type 'array'"]


def test_several_errors_come_sorted_and_deduplicated():
    credential = realistic()
    credential["type"] = "OpenBadgeCredential"  # fails both allOf branches: reported once
    credential["credentialSubject"]["achievement"]["image"] = "https://x/y.png"
    assert validate_schema(credential) == [
        "credentialSubject.achievement.image: 'https://x/y.png' is not of type 'object'",
        "type: 'OpenBadgeCredential' is not of type 'array'",
    ]


def test_bad_achievement_type_names_the_field():
    credential = realistic()
    credential["credentialSubject"]["achievement"]["achievementType"] = "Mikromerit"
    [message] = validate_schema(credential)
    assert message.startswith("credentialSubject.achievement.achievementType: 'Mikromerit'")


def test_root_problems_use_dollar():
    credential = realistic()
    del credential["validFrom"]
    assert validate_schema(credential) == ["$: 'validFrom' is a required property"]


def test_json_path():
    assert json_path([]) == "$"
    assert json_path(["credentialSubject", "identifier", 0, "salt"]) == "credentialSubject.identifier[0].salt"
    assert json_path([0]) == "[0]"


# --- schema lookup ---------------------------------------------------------------------------------

def test_schema_urls_map_to_vendored_files():
    assert SCHEMA_URLS[OB_ACHIEVEMENT_CREDENTIAL_SCHEMA] == SCHEMA_FILES["achievement"]
    for file_name in set(SCHEMA_URLS.values()) | set(SCHEMA_FILES.values()):
        assert (SCHEMAS_DIR / file_name).is_file()


def test_validate_by_published_url():
    assert is_known_schema(OB_ACHIEVEMENT_CREDENTIAL_SCHEMA)
    assert validate_schema(realistic(), OB_ACHIEVEMENT_CREDENTIAL_SCHEMA) == []
    checked = 0
    for path in sorted(shared(SPEC_EXAMPLES).glob("*.json")):
        credential = load(path)
        for entry in credential.get("credentialSchema", []):
            if entry["id"].startswith("https://purl.imsglobal.org/"):
                assert is_known_schema(entry["id"]), entry["id"]
                assert validate_schema(credential, entry["id"]) == []
                checked += 1
    assert checked >= 4


@pytest.mark.parametrize("schema", [
    "https://example.org/schemas/custom.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_achievementcredential_schema.json",
    "Achievement",
])
def test_unknown_schema_raises(schema):
    assert not is_known_schema(schema)
    with pytest.raises(UnknownSchemaError) as info:
        validate_schema(realistic(), schema)
    assert isinstance(info.value, Ob3Error)


def test_profile_schema():
    profile = copy.deepcopy(realistic()["issuer"])
    assert validate_schema(profile, "profile") == []
    profile["type"] = "Profile"
    assert validate_schema(profile, "profile") == ["type: 'Profile' is not of type 'array'"]
