from issuers.identifiers import did_web_for, issuer_did_web, issuer_https_id


def test_it_builds_the_issuer_id_from_the_public_base_url(settings):
    settings.PUBLIC_BASE_URL = "https://badges.example.org"
    assert issuer_https_id("komvux") == "https://badges.example.org/issuers/komvux"
    assert issuer_did_web("komvux") == "did:web:badges.example.org:issuers:komvux"


def test_it_percent_encodes_the_port_colon():
    assert did_web_for("http://localhost:8000/issuers/komvux") == "did:web:localhost%3A8000:issuers:komvux"


def test_it_keeps_a_path_prefix_as_did_segments():
    assert did_web_for("https://example.org/badges/issuers/a") == "did:web:example.org:badges:issuers:a"
