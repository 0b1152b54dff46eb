import pytest
from django.core.management import CommandError, call_command

from issuers.models import Issuer

pytestmark = pytest.mark.django_db


def test_it_creates_an_issuer_with_keys_and_prints_its_ids(capsys):
    call_command(
        "issuer_create", "--slug", "komvux", "--name", "Komvux Skellefteå", "--country", "SE",
        "--official-identifier", "212000-0000",
    )
    issuer = Issuer.objects.get(slug="komvux")
    assert issuer.official_identifier == "212000-0000"
    assert list(issuer.signing_keys.values_list("kind", "status")) == [("ed25519", "active")]
    out = capsys.readouterr().out
    assert issuer.public_id in out and issuer.did in out
    assert f"credentials name: {issuer.public_id}" in out  # https unless --identity did:web


def test_it_reports_invalid_input_clearly():
    with pytest.raises(CommandError, match="country_code"):
        call_command("issuer_create", "--slug", "x", "--name", "X", "--country", "sweden")
    assert not Issuer.objects.exists()
