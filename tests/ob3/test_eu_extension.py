"""The Mikromerit EU micro-credential extension: context, schema, builder, safe mode, canonicalisation."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import random
from decimal import Decimal
from typing import Any

import pytest

from ob3 import eu
from ob3.build import build_credential
from ob3.documents import CONTEXTS_DIR, DEFAULT_LOADER, OB_EXTENSIONS, OB_V3P0, VC_V2
from ob3.errors import CanonicalizationError, SafeModeError
from ob3.eu import (
    MIKROMERIT_CONTEXT,
    MIKROMERIT_NS,
    MIKROMERIT_SCHEMA,
    CreditPoints,
    EuElements,
    EuExtensionError,
    LearningOutcome,
    QualificationRef,
    QualityAssurance,
    Stackability,
    decimal_text,
    eu_extension,
    validate_eu_extension,
    with_eu_extension,
)
from ob3.fast import fast_canonicalize, fast_canonicalizer
from ob3.jsonld import canonicalize
from ob3.keys import LocalSigner
from ob3.proofs.data_integrity import sign_credential, verify_proof
from ob3.schema import SCHEMA_FILES, UnknownSchemaError, register_schema, validate_schema
from tests.ob3.factories import (
    eu_elements,
    micro_credential_draft,
    random_micro_credential_draft,
    realistic_draft,
)
from tests.ob3.support import NOW
from tests.ob3.test_fast_canonical import takes_fast_path
from tests.ob3.test_interop import NodeInterop, controller_document
from tests.ob3.test_interop import _unavailable as node_unavailable


def _context(url: str) -> dict[str, Any]:
    return DEFAULT_LOADER(url)["document"]["@context"]


def _terms(context: dict[str, Any], scope: str = "") -> dict[str, list[tuple[str, Any]]]:
    """term -> [(scope, definition)] over a context and all its scoped contexts."""
    found: dict[str, list[tuple[str, Any]]] = {}
    for term, definition in context.items():
        if term.startswith("@"):
            continue
        found.setdefault(term, []).append((scope, definition))
        if isinstance(definition, dict) and isinstance(definition.get("@context"), dict):
            for inner, rows in _terms(definition["@context"], f"{scope}/{term}").items():
                found.setdefault(inner, []).extend(rows)
    return found


# --- the context ---------------------------------------------------------------------------------

def test_context_is_vendored_under_its_fixed_url_and_protected():
    manifest = {row["url"]: row for row in json.loads((CONTEXTS_DIR / "manifest.json").read_text())}
    assert manifest[MIKROMERIT_CONTEXT]["file"] == "mikromerit-v1.jsonld"
    context = _context(MIKROMERIT_CONTEXT)
    assert context["@protected"] is True and context["@version"] == 1.1
    assert sorted(t for t in context if not t.startswith("@")) == sorted(eu.EXTENSION_TERMS)


def test_v1_context_bytes_are_frozen():
    # Signatures over v1 credentials depend on these exact term definitions. Never update this digest:
    # put changed or new terms in a new context (/ns/v2) instead; see docs/extension.md.
    digest = hashlib.sha256((CONTEXTS_DIR / "mikromerit-v1.jsonld").read_bytes()).hexdigest()
    assert digest == "7c51f096ac5f840722ed098872271aa1214fbd05f5089829c6f1ffa39440640c"


def test_every_term_iri_is_in_the_v1_namespace_and_unique():
    iris = []
    for term, rows in _terms(_context(MIKROMERIT_CONTEXT)).items():
        for _, definition in rows:
            assert definition["@id"].startswith(MIKROMERIT_NS), term
            iris.append(definition["@id"])
    assert len(iris) == len(set(iris))


def test_no_term_collides_with_a_vc_or_ob_term_in_any_scope():
    # A top-level protected term that a VC/OB type-scoped context also defines makes JSON-LD
    # processing fail ("protected term redefinition") wherever that type appears.
    ours = _context(MIKROMERIT_CONTEXT)
    theirs: dict[str, Any] = {}
    for url in (VC_V2, OB_V3P0, OB_EXTENSIONS):
        theirs.update(_terms(_context(url)))
    assert not [term for term in ours if not term.startswith("@") and term in theirs]


def test_no_xsd_prefix_is_defined():
    # Defining `xsd` would change how OB 3.0.3's `xsd:dateTime` on awardedDate resolves elsewhere.
    text = (CONTEXTS_DIR / "mikromerit-v1.jsonld").read_text()
    assert '"xsd"' not in text and '"xsd:' not in text


def test_schema_enumerations_match_the_python_constants():
    defs = eu.schema_document()["$defs"]
    achievement = defs["MikromeritAchievement"]["properties"]
    assert tuple(defs["CreditPoints"]["properties"]["unit"]["enum"]) == eu.CREDIT_UNITS
    assert tuple(achievement["assessmentType"]["items"]["anyOf"][0]["enum"]) == eu.ASSESSMENT_TYPES
    assert tuple(achievement["participationForm"]["enum"]) == eu.PARTICIPATION_FORMS
    assert tuple(achievement["supervision"]["enum"]) == eu.SUPERVISION_TYPES
    assert tuple(achievement["qfEheaCycle"]["enum"]) == eu.QF_EHEA_CYCLES
    assert tuple(defs["QualityAssurance"]["properties"]["qaType"]["items"]["anyOf"][0]["enum"]) == eu.QA_TYPES
    assert tuple(defs["Stackability"]["properties"]["option"]["enum"]) == eu.STACKABILITY_OPTIONS
    assert tuple(defs["LearningOutcome"]["properties"]["kind"]["enum"]) == eu.OUTCOME_KINDS
    assert sorted(achievement) == sorted(eu.EXTENSION_TERMS)


# --- eu_extension ----------------------------------------------------------------------------------

def test_eu_extension_writes_every_term_in_a_fixed_order_with_decimals_as_strings():
    extension = eu_extension(eu_elements())

    assert list(extension) == list(eu.EXTENSION_TERMS)
    assert extension["workloadHours"] == "80"
    assert extension["creditPoints"] == {"value": "3", "unit": "hogskolepoang"}
    assert extension["eqfLevel"] == 6 and extension["assessmentType"] == ["assignment", "presentation"]
    assert extension["stackability"] == {"option": "stackable", "countsTowards": [
        {"id": "https://mikromerit.example/qualifications/dataanalytiker", "title": "Dataanalytiker, 30 hp"}]}
    assert json.dumps(extension) == json.dumps(eu_extension(eu_elements()))


def test_unset_elements_are_left_out():
    assert eu_extension(EuElements()) == {}
    assert eu_extension(EuElements(participation_form="blended", quality_assurance=QualityAssurance())) == {
        "participationForm": "blended"}


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("7.50"), "7.5"), (Decimal("1.5E+1"), "15"), (Decimal("100"), "100"), (40, "40"), ("0.5", "0.5"),
    (" 3.0 ", "3"), (Decimal("-0"), "0"), (Decimal("0.000001"), "0.000001"),
])
def test_decimals_are_written_in_canonical_form(value, text):
    assert decimal_text(value, "x") == text


@pytest.mark.parametrize("value", [7.5, True, Decimal("NaN"), Decimal("Infinity"), "-1", "1,5", "", None])
def test_floats_and_non_decimals_are_refused(value):
    with pytest.raises(EuExtensionError, match="x:"):
        decimal_text(value, "x")


@pytest.mark.parametrize(("elements", "problem"), [
    (EuElements(workload_hours=0), "workloadHours"),
    (EuElements(workload_hours=Decimal("0.0000001")), "workloadHours"),
    (EuElements(credit_points=CreditPoints(Decimal(5), "credits")), "creditPoints.unit"),
    (EuElements(credit_points=CreditPoints(Decimal(5), "other")), "creditPoints: 'unitLabel' is a required"),
    (EuElements(credit_points=CreditPoints(Decimal(5), "ECTS", unit_label="ECTS")), "creditPoints"),
    (EuElements(eqf_level=9), "eqfLevel: 9 is greater than the maximum of 8"),
    (EuElements(seqf_level=0), "seqfLevel"),
    (EuElements(assessment_types=("exam",)), "assessmentType[0]"),
    (EuElements(assessment_types=("portfolio", "portfolio")), "assessmentType"),
    (EuElements(participation_form="distance"), "participationForm"),
    (EuElements(supervision="proctored"), "supervision"),
    (EuElements(quality_assurance=QualityAssurance(qa_types=("iso",))), "qualityAssurance.qaType[0]"),
    (EuElements(quality_assurance=QualityAssurance(responsible_body_url="uka.se")), "responsibleBodyUrl"),
    (EuElements(occupations=("esco occupation",)), "occupation[0]"),
    (EuElements(stackability=Stackability("stacked")), "stackability.option"),
    (EuElements(stackability=Stackability("stackable", (QualificationRef("q/1"),))), "countsTowards[0].id"),
    (EuElements(learning_outcomes=(LearningOutcome("  "),)), "learningOutcome[0].statement"),
    (EuElements(learning_outcomes=(LearningOutcome("Analyse", kind="attitude"),)), "learningOutcome[0].kind"),
    (EuElements(target_group="\n"), "targetGroup"),
])
def test_invalid_elements_raise_naming_the_property(elements, problem):
    with pytest.raises(EuExtensionError, match="invalid EU extension") as error:
        eu_extension(elements)
    assert problem in str(error.value)


def test_ext_terms_extend_the_open_vocabularies():
    extension = eu_extension(EuElements(assessment_types=("ext:Hackathon",),
                                        quality_assurance=QualityAssurance(qa_types=("ext:ISO21001",))))
    assert extension["assessmentType"] == ["ext:Hackathon"]


# --- validate_eu_extension ------------------------------------------------------------------------

def test_validation_leaves_ob_properties_to_the_ob_schema():
    achievement = build_credential(micro_credential_draft())["credentialSubject"]["achievement"]
    assert validate_eu_extension(achievement) == []
    assert validate_eu_extension({"name": 5, "image": "not an object"}) == []


def test_validation_reports_unknown_nested_properties_and_wrong_types():
    problems = validate_eu_extension({"creditPoints": {"value": 7.5, "unit": "ECTS", "ects": True},
                                      "eqfLevel": "6", "learningOutcome": []})
    assert problems == [
        "creditPoints.value: 7.5 is not of type 'string'",
        "creditPoints: Additional properties are not allowed ('ects' was unexpected)",
        "eqfLevel: '6' is not of type 'integer'",
        "learningOutcome: [] should be non-empty",
    ]


# --- drafts and credentials -----------------------------------------------------------------------

def test_with_eu_extension_appends_the_context_once_after_the_ob_contexts():
    draft = with_eu_extension(realistic_draft(extra_contexts=(MIKROMERIT_CONTEXT,)), EuElements(eqf_level=5))
    assert draft.extra_contexts == (MIKROMERIT_CONTEXT,)
    credential = build_credential(micro_credential_draft())
    assert credential["@context"] == [VC_V2, OB_V3P0, OB_EXTENSIONS, MIKROMERIT_CONTEXT]


def test_with_eu_extension_refuses_to_overwrite_existing_extensions():
    draft = micro_credential_draft()
    with pytest.raises(EuExtensionError, match="eqfLevel"):
        with_eu_extension(draft, EuElements(eqf_level=4))


def test_micro_credential_passes_the_ob_schema_the_extension_schema_and_safe_mode():
    credential = build_credential(micro_credential_draft())

    assert validate_schema(credential) == []
    assert validate_schema(credential, MIKROMERIT_SCHEMA) == []
    assert "<https://mikromerit.se/ns/v1#workloadHours> \"80\"^^<http://www.w3.org/2001/XMLSchema#decimal>" \
        in canonicalize(credential)


def test_extension_schema_checks_the_terms_whatever_address_names_the_context():
    """Installations name the v1 context by their own address, so the schema cannot pin one; safe mode
    refuses the terms when no context defines them (test_extension_terms_without_the_context_fail_safe_mode)."""
    credential = build_credential(micro_credential_draft())
    credential["@context"] = [*credential["@context"][:-1], "https://badges.example.org/ns/v1"]
    assert validate_schema(credential, MIKROMERIT_SCHEMA) == []
    credential["credentialSubject"]["achievement"]["eqfLevel"] = 12
    assert validate_schema(credential, MIKROMERIT_SCHEMA) == [
        "credentialSubject.achievement.eqfLevel: 12 is greater than the maximum of 8"]


def test_schema_registration_is_idempotent_and_never_swaps_files():
    register_schema(MIKROMERIT_SCHEMA, eu.SCHEMA_FILE)
    with pytest.raises(UnknownSchemaError, match="already registered"):
        register_schema(MIKROMERIT_SCHEMA, SCHEMA_FILES["profile"])
    with pytest.raises(UnknownSchemaError, match="no vendored schema file"):
        register_schema("https://mikromerit.se/ns/v9/schema.json", "missing.json")


def test_extension_terms_without_the_context_fail_safe_mode():
    credential = build_credential(micro_credential_draft())
    credential["@context"] = credential["@context"][:-1]
    with pytest.raises(SafeModeError, match="'workloadHours' is not defined"):
        canonicalize(credential)


@pytest.mark.parametrize("path", [
    ["creditPoints", "currency"], ["qualityAssurance", "auditor"], ["learningOutcome", 0, "level"],
    ["stackability", "countsTowards", 0, "credits"],
])
def test_undefined_nested_terms_fail_safe_mode_on_both_paths(path):
    credential = build_credential(micro_credential_draft())
    target = credential["credentialSubject"]["achievement"]
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = "x"
    for canonicalizer in (canonicalize, fast_canonicalize):
        with pytest.raises(SafeModeError, match=repr(path[-1])):
            canonicalizer(credential)


def test_a_context_redefining_our_protected_terms_is_rejected():
    credential = build_credential(micro_credential_draft())
    credential["@context"] = [*credential["@context"], {"eqfLevel": "https://example.org/level"}]
    for canonicalizer in (canonicalize, fast_canonicalize):
        with pytest.raises(CanonicalizationError, match="protected term redefinition"):
            canonicalizer(credential)


def _generated(count: int, start: int = 0) -> list[dict[str, Any]]:
    seeds = range(start, start + count)
    return [build_credential(random_micro_credential_draft(random.Random(seed))) for seed in seeds]


def test_generated_micro_credentials_canonicalise_identically_on_the_fast_path():
    credentials = [build_credential(micro_credential_draft()), *_generated(150)]
    extension_terms = set(eu.EXTENSION_TERMS)
    used = {key for c in credentials for key in c["credentialSubject"]["achievement"]} & extension_terms
    assert used == extension_terms  # the generator exercises every term
    for index, credential in enumerate(credentials):
        assert fast_canonicalize(credential) == canonicalize(credential), f"credential {index}"
        assert takes_fast_path(credential), f"credential {index}"
        assert validate_schema(credential) == [] and validate_schema(credential, MIKROMERIT_SCHEMA) == []


def test_signatures_over_the_extension_verify_on_either_path():
    signer = LocalSigner.from_ed25519_seed(bytes(range(32)))
    method = f"did:key:{signer.public_key.to_multikey()}#{signer.public_key.to_multikey()}"
    credential = build_credential(micro_credential_draft())

    signed = sign_credential(credential, signer=signer, verification_method=method, created=NOW,
                             canonicalizer=fast_canonicalizer)

    assert verify_proof(signed, signed["proof"][0], public_key=signer.public_key).passed
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["creditPoints"]["value"] = "30"
    assert not verify_proof(tampered, tampered["proof"][0], public_key=signer.public_key).passed


def test_equal_numbers_give_equal_signatures_input():
    a = with_eu_extension(realistic_draft(), EuElements(workload_hours=Decimal("40.0")))
    b = with_eu_extension(realistic_draft(), EuElements(workload_hours="40"))
    assert canonicalize(build_credential(a)) == canonicalize(build_credential(b))


def test_drafts_stay_frozen_values():
    draft = micro_credential_draft()
    assert dataclasses.replace(draft) == draft


# --- independent implementations (make interop) ---------------------------------------------------

interop = pytest.mark.skipif(node_unavailable() is not None, reason=str(node_unavailable()))


@pytest.fixture(scope="module")
def node():
    client = NodeInterop()
    yield client
    client.close()


@pytest.mark.interop
@interop
def test_jsonld_js_in_safe_mode_canonicalises_micro_credentials_like_us(node):
    credentials = [build_credential(micro_credential_draft()), *_generated(120, start=5000)]

    theirs = node.batch([{"op": "canon", "document": credential} for credential in credentials])

    for index, (credential, their) in enumerate(zip(credentials, theirs, strict=True)):
        assert their["ok"], their.get("error")
        assert their["result"]["nquads"] == canonicalize(credential) == fast_canonicalize(credential), index


@pytest.mark.interop
@interop
def test_digitalbazaar_verifies_a_signed_micro_credential(node):
    signer = LocalSigner.from_ed25519_seed(bytes(range(32)))
    credential = build_credential(micro_credential_draft())
    issuer = credential["issuer"]["id"]
    method, document = controller_document(issuer, signer)
    signed = sign_credential(credential, signer=signer, verification_method=method, created=NOW,
                             canonicalizer=fast_canonicalizer)

    (answer,) = node.batch([{"op": "verify-di", "credential": signed, "documents": {issuer: document},
                             "now": signed["validFrom"]}])

    assert answer["ok"], answer.get("error")
    assert answer["result"] == {"verified": True, "errors": []}
