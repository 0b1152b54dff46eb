"""Keys: generate, import and export (Multikey, JWK, PEM), and the `Signer` interface.

All signing in ob3 goes through a `Signer`, so the platform can keep private keys encrypted at rest or
in a KMS and hand ob3 only an object that signs bytes. `LocalSigner` wraps an in-memory private key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from ob3.errors import KeyFormatError
from ob3.multibase import b64url_decode, b64url_encode, multibase_decode, multibase_encode

# Multicodec prefixes (varint) for public keys in Multikey / did:key.
_ED25519_PUB = b"\xed\x01"
_P256_PUB = b"\x80\x24"

ED25519 = "Ed25519"
RSA = "RSA"
P256 = "P-256"

# JOSE algorithm names per key kind.
ALGORITHMS = {ED25519: "EdDSA", RSA: "RS256", P256: "ES256"}
MIN_RSA_BITS = 2048


@dataclass(frozen=True)
class PublicKey:
    """A public key of one of the kinds ob3 supports, with its encodings."""

    key: Any  # cryptography public key object

    @property
    def kind(self) -> str:
        if isinstance(self.key, ed25519.Ed25519PublicKey):
            return ED25519
        if isinstance(self.key, rsa.RSAPublicKey):
            return RSA
        if isinstance(self.key, ec.EllipticCurvePublicKey) and isinstance(self.key.curve, ec.SECP256R1):
            return P256
        raise KeyFormatError("unsupported key type")

    @property
    def jose_algorithm(self) -> str:
        return ALGORITHMS[self.kind]

    # --- encodings -------------------------------------------------------------------------------
    def to_multikey(self) -> str:
        """`publicKeyMultibase`: 'z' + base58btc(multicodec prefix + raw key). Ed25519 keys start z6Mk."""
        if self.kind == ED25519:
            raw = self.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            return multibase_encode(_ED25519_PUB + raw)
        if self.kind == P256:
            raw = self.key.public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
            )
            return multibase_encode(_P256_PUB + raw)
        raise KeyFormatError("RSA keys have no Multikey form here; publish them as JWK")

    def to_jwk(self) -> dict[str, str]:
        """Public JWK (RFC 7517/8037). Never contains private members."""
        kind = self.kind
        if kind == ED25519:
            raw = self.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}
        if kind == P256:
            numbers = self.key.public_numbers()
            return {
                "kty": "EC",
                "crv": "P-256",
                "x": b64url_encode(numbers.x.to_bytes(32, "big")),
                "y": b64url_encode(numbers.y.to_bytes(32, "big")),
            }
        numbers = self.key.public_numbers()
        return {"kty": "RSA", "n": b64url_encode(_int_bytes(numbers.n)), "e": b64url_encode(_int_bytes(numbers.e))}

    # --- verification ----------------------------------------------------------------------------
    def verify(self, signature: bytes, data: bytes, *, algorithm: str) -> bool:
        """True when `signature` over `data` is valid for `algorithm` (EdDSA, RS256 or ES256)."""
        if algorithm != self.jose_algorithm:
            return False
        try:
            if self.kind == ED25519:
                self.key.verify(signature, data)
            elif self.kind == RSA:
                self.key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
            else:
                if len(signature) != 64:
                    return False
                r = int.from_bytes(signature[:32], "big")
                s = int.from_bytes(signature[32:], "big")
                self.key.verify(encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        return True

    # --- constructors ----------------------------------------------------------------------------
    @classmethod
    def from_multikey(cls, value: str) -> PublicKey:
        """Parse a `publicKeyMultibase` (Ed25519 `z6Mk…` or P-256 `zDn…`)."""
        data = multibase_decode(value)
        if data[:2] == _ED25519_PUB and len(data) == 34:
            return cls(ed25519.Ed25519PublicKey.from_public_bytes(data[2:]))
        if data[:2] == _P256_PUB and len(data) == 35:
            try:
                return cls(ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), data[2:]))
            except ValueError as exc:
                raise KeyFormatError(f"invalid P-256 Multikey: {exc}") from None
        raise KeyFormatError("not an Ed25519 or P-256 Multikey")

    @classmethod
    def from_jwk(cls, jwk: dict[str, Any]) -> PublicKey:
        """Parse a public JWK (private members, if any, are ignored)."""
        if not isinstance(jwk, dict):
            raise KeyFormatError("a JWK must be a JSON object")
        kty = jwk.get("kty")
        try:
            if kty == "OKP" and jwk.get("crv") == "Ed25519":
                return cls(ed25519.Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"])))
            if kty == "EC" and jwk.get("crv") == "P-256":
                point = ec.EllipticCurvePublicNumbers(
                    int.from_bytes(b64url_decode(jwk["x"]), "big"),
                    int.from_bytes(b64url_decode(jwk["y"]), "big"),
                    ec.SECP256R1(),
                )
                return cls(point.public_key())
            if kty == "RSA":
                numbers = rsa.RSAPublicNumbers(
                    int.from_bytes(b64url_decode(jwk["e"]), "big"),
                    int.from_bytes(b64url_decode(jwk["n"]), "big"),
                )
                key = numbers.public_key()
                if key.key_size < MIN_RSA_BITS:
                    raise KeyFormatError(f"RSA keys must have at least {MIN_RSA_BITS} bits")
                return cls(key)
        except (KeyError, ValueError, TypeError) as exc:
            raise KeyFormatError(f"malformed {kty} JWK: {exc}") from None
        raise KeyFormatError(f"unsupported JWK (kty={kty!r}, crv={jwk.get('crv')!r})")

    def to_did_key(self) -> str:
        """`did:key:z6Mk…`: the DID that is this (Ed25519 or P-256) key, resolvable by anyone offline."""
        return "did:key:" + self.to_multikey()

    def did_key_verification_method(self) -> str:
        """`did:key:z6Mk…#z6Mk…`: the verification method a did:key's DID document gives its one key."""
        multikey = self.to_multikey()
        return f"did:key:{multikey}#{multikey}"

    @classmethod
    def from_did_key(cls, did: str) -> PublicKey:
        """The key of a `did:key:z…` identifier or DID URL."""
        if not did.startswith("did:key:"):
            raise KeyFormatError("not a did:key")
        return cls.from_multikey(did[len("did:key:") :].split("#", 1)[0])


@runtime_checkable
class Signer(Protocol):
    """Anything that can sign bytes with one key. ob3 never needs the private key itself."""

    @property
    def public_key(self) -> PublicKey: ...

    @property
    def algorithm(self) -> str:
        """JOSE name: EdDSA, RS256 or ES256."""
        ...

    def sign(self, data: bytes) -> bytes: ...


class LocalSigner:
    """A `Signer` over an in-memory private key (tests, the CLI, and the platform's decrypted keys)."""

    def __init__(self, private_key: PrivateKeyTypes):
        if not isinstance(private_key, ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise KeyFormatError("unsupported key type")
        if isinstance(private_key, rsa.RSAPrivateKey) and private_key.key_size < MIN_RSA_BITS:
            raise KeyFormatError(f"RSA keys must have at least {MIN_RSA_BITS} bits")
        self._key = private_key
        self._public = PublicKey(private_key.public_key())
        self._public.kind  # noqa: B018 - raises for unsupported key types

    def __repr__(self) -> str:  # never show key material
        return f"<LocalSigner {self._public.kind}>"

    @property
    def public_key(self) -> PublicKey:
        return self._public

    @property
    def algorithm(self) -> str:
        return self._public.jose_algorithm

    def sign(self, data: bytes) -> bytes:
        key = self._key
        if isinstance(key, ed25519.Ed25519PrivateKey):
            return key.sign(data)
        if isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        der = key.sign(data, ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")  # JOSE wants raw r||s

    # --- generation and serialisation -------------------------------------------------------------
    @classmethod
    def generate(cls, kind: str = ED25519, *, rsa_bits: int = 3072) -> LocalSigner:
        if kind == ED25519:
            return cls(ed25519.Ed25519PrivateKey.generate())
        if kind == RSA:
            return cls(rsa.generate_private_key(public_exponent=65537, key_size=rsa_bits))
        if kind == P256:
            return cls(ec.generate_private_key(ec.SECP256R1()))
        raise KeyFormatError(f"unknown key kind {kind!r}")

    @classmethod
    def from_ed25519_seed(cls, seed: bytes) -> LocalSigner:
        return cls(ed25519.Ed25519PrivateKey.from_private_bytes(seed))

    @classmethod
    def from_pem(cls, pem: bytes, password: bytes | None = None, *, known_good: bool = False) -> LocalSigner:
        """Load a PKCS#8 PEM private key. `known_good`: the caller has proved these are the exact bytes of a key
        it made and checked itself (e.g. authenticated encryption), so the costly RSA consistency checks
        (about 140 ms for a 3072-bit key) are skipped; never pass it for a key that came from outside."""
        try:
            return cls(serialization.load_pem_private_key(
                pem, password=password, unsafe_skip_rsa_key_validation=known_good
            ))
        except (ValueError, TypeError) as exc:
            raise KeyFormatError(f"cannot load private key: {exc}") from None

    def to_pem(self, password: bytes | None = None) -> bytes:
        """PKCS#8 PEM, encrypted with `password` when given (the platform always gives one)."""
        encryption = (
            serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
        )
        return self._key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)

    @classmethod
    def from_jwk(cls, jwk: dict[str, Any] | str) -> LocalSigner:
        """Load a private JWK (OKP/Ed25519, EC P-256 or RSA)."""
        if isinstance(jwk, str):
            try:
                jwk = json.loads(jwk)
            except json.JSONDecodeError as exc:
                raise KeyFormatError(f"JWK is not JSON: {exc}") from None
        if not isinstance(jwk, dict) or "d" not in jwk:
            raise KeyFormatError("a private JWK (with 'd') is required")
        public = PublicKey.from_jwk(jwk)
        try:
            d = b64url_decode(jwk["d"])
            if public.kind == ED25519:
                signer = cls.from_ed25519_seed(d)
            elif public.kind == P256:
                signer = cls(ec.derive_private_key(int.from_bytes(d, "big"), ec.SECP256R1()))
            else:
                pub = public.key.public_numbers()
                p, q = (int.from_bytes(b64url_decode(jwk[k]), "big") for k in ("p", "q"))
                d_int = int.from_bytes(d, "big")
                numbers = rsa.RSAPrivateNumbers(
                    p=p, q=q, d=d_int,
                    dmp1=rsa.rsa_crt_dmp1(d_int, p), dmq1=rsa.rsa_crt_dmq1(d_int, q),
                    iqmp=rsa.rsa_crt_iqmp(p, q), public_numbers=pub,
                )
                signer = cls(numbers.private_key())
        except (KeyError, ValueError, TypeError) as exc:
            raise KeyFormatError(f"malformed private JWK: {exc}") from None
        if signer.public_key.to_jwk() != public.to_jwk():
            raise KeyFormatError("private JWK: 'd' does not match the public part")
        return signer

    def to_private_jwk(self) -> dict[str, str]:
        """Private JWK, for the CLI and for tests. The platform stores keys as encrypted PEM instead."""
        jwk = self._public.to_jwk()
        key = self._key
        if isinstance(key, ed25519.Ed25519PrivateKey):
            raw = key.private_bytes(
                serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
            )
            jwk["d"] = b64url_encode(raw)
        elif isinstance(key, ec.EllipticCurvePrivateKey):
            jwk["d"] = b64url_encode(key.private_numbers().private_value.to_bytes(32, "big"))
        else:
            n = key.private_numbers()
            for name, value in (("d", n.d), ("p", n.p), ("q", n.q), ("dp", n.dmp1), ("dq", n.dmq1), ("qi", n.iqmp)):
                jwk[name] = b64url_encode(_int_bytes(value))
        return jwk


def _int_bytes(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
