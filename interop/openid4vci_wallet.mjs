// A wallet built on an independent OpenID4VCI 1.0 library (@openid4vc/openid4vci, OpenWallet Foundation
// Labs) that takes a credential offer from a running platform: resolve the offer and the issuer's
// metadata, trade the pre-authorized code and the transaction code for a token, get a nonce, prove
// possession of a fresh Ed25519 key (did:key) and fetch every offered credential.
//
// stdin: {"origins": {"https://public.origin": "http://127.0.0.1:port"}, "offerUri": "...", "txCode": "..."}.
// stdout: one JSON object {holderDid, credentials: {<configuration id>: <credential>}, fetched: [...]}.
import {createHash, generateKeyPairSync, randomBytes, sign as edSign} from 'node:crypto';
import {text} from 'node:stream/consumers';

import {clientAuthenticationAnonymous} from '@openid4vc/oauth2';
import {Openid4vciClient} from '@openid4vc/openid4vci';

import {routeFetch} from './lib/network.mjs';

for(const method of ['log', 'info', 'warn', 'debug']) {
  console[method] = (...args) => console.error(...args);
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58btc(bytes) {
  let value = BigInt('0x' + Buffer.from(bytes).toString('hex'));
  let out = '';
  while(value > 0n) {
    out = BASE58[Number(value % 58n)] + out;
    value /= 58n;
  }
  for(const byte of bytes) {
    if(byte !== 0) {
      break;
    }
    out = '1' + out;
  }
  return out;
}

const b64url = data => Buffer.from(data).toString('base64url');

const {origins, offerUri, txCode} = JSON.parse(await text(process.stdin));
const fetched = routeFetch({origins});

// The holder's key: Ed25519, named as did:key (multicodec 0xed01 + the raw public key, base58btc).
const {publicKey, privateKey} = generateKeyPairSync('ed25519');
const publicJwk = publicKey.export({format: 'jwk'});
const multibase = 'z' + base58btc(Buffer.concat([Buffer.from([0xed, 0x01]), Buffer.from(publicJwk.x, 'base64url')]));
const holderDid = `did:key:${multibase}`;

const callbacks = {
  // A wallet is a public client: the pre-authorized code flow needs no client authentication.
  clientAuthentication: clientAuthenticationAnonymous(),
  fetch: (...args) => globalThis.fetch(...args),
  generateRandom: length => randomBytes(length),
  hash: (data, algorithm) => createHash(algorithm.replace('-', '').toLowerCase()).update(data).digest(),
  signJwt: async (signer, {header, payload}) => {
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const signature = edSign(null, Buffer.from(input), privateKey);
    return {jwt: `${input}.${b64url(signature)}`, signerJwk: publicJwk};
  },
};

const client = new Openid4vciClient({callbacks});
const credentialOffer = await client.resolveCredentialOffer(offerUri);
const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
const {accessTokenResponse} = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
  credentialOffer, issuerMetadata, txCode,
});

const credentials = {};
for(const credentialConfigurationId of credentialOffer.credential_configuration_ids) {
  const nonce = await client.requestNonce({issuerMetadata});
  const {jwt} = await client.createCredentialRequestJwtProof({
    issuerMetadata,
    credentialConfigurationId,
    nonce: nonce.c_nonce,
    signer: {method: 'did', didUrl: `${holderDid}#${multibase}`, alg: 'EdDSA'},
  });
  const {credentialResponse} = await client.retrieveCredentials({
    issuerMetadata,
    accessToken: accessTokenResponse.access_token,
    credentialConfigurationId,
    proofs: {jwt: [jwt]},
  });
  credentials[credentialConfigurationId] = credentialResponse.credentials[0].credential;
}
process.stdout.write(JSON.stringify({holderDid, credentials, fetched}) + '\n');
