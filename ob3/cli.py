"""`python -m ob3` — sign, verify, bake and unbake Open Badges 3.0 credentials from the shell.

    python -m ob3 sign CREDENTIAL.json --key PRIVATE.jwk [--format ldp|jwt] [--verification-method URL]
    python -m ob3 verify FILE [--did-doc FILE]... [--jwk FILE] [--status-list [URL=]FILE]...
                         [--context URL=FILE]... [--online]
    python -m ob3 bake IMAGE CREDENTIAL -o OUT
    python -m ob3 unbake FILE

`verify` prints a JSON verdict and exits 0 only when the verdict is "valid"; 1 for any other verdict
(invalid, revoked, suspended, expired, not yet valid, and "unconfirmed" — including a status that was not
read); 2 when the input is unusable. Other tools depend on this shape: keep it.

Offline, `verify` uses only what it is given: `--did-doc` (DID or controller documents), `--jwk`,
`--status-list` and `--context` (accepted only as a copy of a context ob3 holds, e.g. an installation's
address of the Mikromerit extension context). With `--online` it also fetches what is missing (identity
documents, key documents, status lists, and contexts — again only copies of contexts ob3 holds) through
safefetch, which refuses private and reserved addresses.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ob3.baking import bake, unbake
from ob3.documents import DEFAULT_LOADER, DocumentLoader
from ob3.errors import DocumentUnavailable, Ob3Error
from ob3.keys import ED25519, LocalSigner
from ob3.proofs.data_integrity import sign_credential
from ob3.proofs.vc_jwt import sign_jwt
from ob3.resolve import KeyResolver
from ob3.values import issuer_id
from ob3.verify import verify

EXIT_VALID, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2


class UsageError(Exception):
    """Input the command cannot use (missing file, not JSON, wrong key kind)."""


def _read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


def _read_json(path: str) -> Any:
    try:
        return json.loads(_read_bytes(path).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path} is not JSON: {exc}") from None


def default_verification_method(credential: dict[str, Any], signer: LocalSigner) -> str | None:
    """`did:key:z…#z…` for a did:key issuer; `<issuer.id>#z6Mk…` for any other issuer with an Ed25519 key."""
    issuer = issuer_id(credential)
    if not issuer or signer.public_key.kind != ED25519:
        return None
    multikey = signer.public_key.to_multikey()
    if issuer.startswith("did:key:"):
        return f"{issuer}#{issuer[len('did:key:'):]}"
    return f"{issuer}#{multikey}"


def cmd_sign(args: argparse.Namespace) -> int:
    credential = _read_json(args.credential)
    if not isinstance(credential, dict):
        raise UsageError("the credential must be a JSON object")
    signer = LocalSigner.from_jwk(_read_json(args.key))
    method = args.verification_method or default_verification_method(credential, signer)
    if args.format == "jwt":
        token = sign_jwt(credential, signer=signer, kid=method, embed_jwk=method is None)
        print(token)
        return EXIT_VALID
    if signer.public_key.kind != ED25519:
        raise UsageError("Data Integrity (eddsa-rdfc-2022) needs an Ed25519 (OKP) key; use --format jwt for RSA/EC")
    if method is None:
        raise UsageError("the credential has no issuer id; pass --verification-method")
    signed = sign_credential(credential, signer=signer, verification_method=method,
                             created=datetime.now(UTC).replace(microsecond=0))
    print(json.dumps(signed, indent=2, ensure_ascii=False))
    return EXIT_VALID


def _documents(paths: Sequence[str]) -> dict[str, Any]:
    documents = {}
    for path in paths:
        document = _read_json(path)
        if not isinstance(document, dict) or not isinstance(document.get("id"), str):
            raise UsageError(f"{path}: a DID or controller document needs an 'id'")
        documents[document["id"]] = document
    return documents


def _documents_by_url(specs: Sequence[str], what: str) -> dict[str, Any]:
    """`URL=FILE` or `FILE` (then the document's own `id` is its URL) -> {url: document}."""
    found = {}
    for spec in specs:
        url, separator, path = spec.partition("=")
        if not (separator and url.startswith(("https://", "http://"))):
            url, path = "", spec
        document = _read_json(path)
        if not isinstance(document, dict):
            raise UsageError(f"{path}: a {what} is a JSON object")
        address = url or document.get("id")
        if not isinstance(address, str):
            raise UsageError(f"{path}: the {what} has no 'id'; give its URL as URL={path}")
        found[address] = document
    return found


def _online_fetch() -> Any:
    # Loaded only for --online: the library (and every other command) never needs a network stack.
    from safefetch import Fetcher, FetchError

    fetcher = Fetcher()

    def fetch(url: str) -> Any:
        try:
            return fetcher.fetch_json(url)
        except FetchError as exc:
            raise DocumentUnavailable(str(exc)) from None

    return fetch


def _given_or_fetched(given: dict[str, Any], fetch: Any, option: str) -> Any:
    """A fetch callable over documents given on the command line, then (with --online) the network."""
    if not given and fetch is None:
        return None  # for a status list, the verdict then says the status was not checked

    def get(url: str) -> Any:
        if url in given:
            return given[url]
        if fetch is None:
            raise DocumentUnavailable(f"{url} was not given with {option} (and --online is not set)")
        return fetch(url)

    return get


def cmd_verify(args: argparse.Namespace) -> int:
    data = _read_bytes(args.file)
    jwks = []
    if args.jwk:
        jwk = _read_json(args.jwk)
        if not isinstance(jwk, dict):
            raise UsageError(f"{args.jwk}: expected a JWK or a JWK Set")
        jwks.append(jwk)
    fetch = _online_fetch() if args.online else None
    # A context given or fetched is used only if it is a copy of one ob3 holds (ob3.documents).
    contexts = _given_or_fetched(_documents_by_url(args.context or [], "context"), fetch, "--context")
    result = verify(
        data,
        resolver=KeyResolver(_documents(args.did_doc or []), jwks=jwks, fetch=fetch),
        status_fetcher=_given_or_fetched(_documents_by_url(args.status_list or [], "status list"), fetch,
                                         "--status-list"),
        loader=DocumentLoader(fetch=contexts) if contexts is not None else DEFAULT_LOADER,
    )
    print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    format_check = result.check("format")
    if format_check is None or not format_check.passed:
        return EXIT_UNUSABLE
    return EXIT_VALID if result.valid else EXIT_INVALID


def cmd_bake(args: argparse.Namespace) -> int:
    image = _read_bytes(args.image)
    raw = _read_bytes(args.credential).decode("utf-8", errors="strict").strip()
    credential: dict[str, Any] | str
    if raw.startswith("{"):
        try:
            credential = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{args.credential} is not JSON: {exc}") from None
    else:
        credential = raw  # a compact JWS
    Path(args.output).write_bytes(bake(image, credential))
    return EXIT_VALID


def cmd_unbake(args: argparse.Namespace) -> int:
    credential = unbake(_read_bytes(args.file))
    print(json.dumps(credential, indent=2, ensure_ascii=False) if isinstance(credential, dict) else credential)
    return EXIT_VALID


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ob3", description="Open Badges 3.0 credentials")
    commands = parser.add_subparsers(dest="command", required=True)

    sign = commands.add_parser("sign", help="sign a credential (Data Integrity or VC-JWT)")
    sign.add_argument("credential", metavar="CREDENTIAL.json")
    sign.add_argument("--key", required=True, metavar="PRIVATE.jwk", help="private JWK")
    sign.add_argument("--format", choices=("ldp", "jwt"), default="ldp")
    sign.add_argument("--verification-method", metavar="URL")
    sign.set_defaults(handler=cmd_sign)

    check = commands.add_parser("verify", help="verify a JSON, JWT, PNG or SVG credential")
    check.add_argument("file", metavar="FILE")
    check.add_argument("--did-doc", action="append", metavar="FILE", help="DID or controller document")
    check.add_argument("--jwk", metavar="FILE", help="public JWK or JWK Set for a VC-JWT")
    check.add_argument("--status-list", action="append", metavar="[URL=]FILE",
                       help="a status list credential the credential points at (repeatable)")
    check.add_argument("--context", action="append", metavar="URL=FILE",
                       help="a JSON-LD context the credential names by another address; used only if it is a "
                            "copy of a context ob3 holds (repeatable)")
    check.add_argument("--online", action="store_true",
                       help="fetch missing identity documents, status lists and contexts over https")
    check.set_defaults(handler=cmd_verify)

    bake_cmd = commands.add_parser("bake", help="bake a credential into a PNG or SVG")
    bake_cmd.add_argument("image", metavar="IMAGE")
    bake_cmd.add_argument("credential", metavar="CREDENTIAL")
    bake_cmd.add_argument("-o", "--output", required=True, metavar="OUT")
    bake_cmd.set_defaults(handler=cmd_bake)

    unbake_cmd = commands.add_parser("unbake", help="print the credential baked into a PNG or SVG")
    unbake_cmd.add_argument("file", metavar="FILE")
    unbake_cmd.set_defaults(handler=cmd_unbake)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except (UsageError, Ob3Error, UnicodeDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
