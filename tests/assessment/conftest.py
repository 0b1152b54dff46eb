import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(name="intyg.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def docx_bytes():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def evidence_in_memory(settings):
    """Evidence files stay in memory, like the default storage in tests."""
    settings.STORAGES = {**settings.STORAGES, "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


@pytest.fixture
def outcome(achievement):
    return achievement.learning_outcomes.get()


@pytest.fixture
def learner(db):
    from tests.factories import make_user

    return make_user("amina")


@pytest.fixture
def assessor(issuer):
    from issuers.models import Role
    from tests.factories import make_member

    return make_member(issuer, "asa", Role.ASSESSOR).user


@pytest.fixture
def second_assessor(issuer):
    from issuers.models import Role
    from tests.factories import make_member

    return make_member(issuer, "bertil", Role.ASSESSOR).user


@pytest.fixture
def owner(issuer):
    from issuers.models import Role
    from tests.factories import make_member

    return make_member(issuer, "olga", Role.OWNER).user


@pytest.fixture
def application(achievement, learner):
    from assessment.applications import application_start

    return application_start(achievement=achievement, learner=learner, language="sv")


@pytest.fixture
def file_evidence(application, learner, outcome):
    from assessment.applications import evidence_add

    return evidence_add(
        application=application,
        by=learner,
        outcome=outcome,
        title="Arbetsschema",
        narrative="Schemat jag gjorde för gruppen.",
        upload=upload(),
    )


@pytest.fixture
def submitted(application, learner, file_evidence, django_capture_on_commit_callbacks):
    from assessment.applications import application_submit

    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, by=learner)
    application.refresh_from_db()
    return application


def levels(outcome):
    """(failing level, pass level) of the factories' two-level rubric."""
    fail, passing = outcome.rubric_levels.order_by("position", "pk")
    return fail, passing
