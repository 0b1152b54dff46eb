// The operations the Python tests and the benchmark ask of digitalbazaar's stack and jose.
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as jose from 'jose';
import jsonld from 'jsonld';
import rdfCanonize from 'rdf-canonize';

import {makeDocumentLoader} from './loader.mjs';

// Status lists are out of scope here: report the status as unchecked rather than fetch anything.
const checkStatus = async () => ({verified: true, unchecked: true});

function describeErrors(result) {
  const errors = [];
  const collect = error => {
    if(!error) {
      return;
    }
    for(const e of [].concat(error)) {
      errors.push(e.message || String(e));
      if(e.errors) {
        collect(e.errors);
      }
    }
  };
  collect(result.error);
  for(const proofResult of result.results || []) {
    collect(proofResult.error);
  }
  return errors;
}

/** Verify a Data Integrity (eddsa-rdfc-2022) credential with @digitalbazaar/vc. */
export async function verifyDi({credential, documents, now}) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const result = await vc.verifyCredential({
    credential, suite, documentLoader: makeDocumentLoader(documents), checkStatus,
    ...(now ? {now} : {})
  });
  return {verified: result.verified, errors: result.verified ? [] : describeErrors(result)};
}

/** RDFC-1.0 canonical N-Quads of a JSON-LD document, in jsonld.js safe mode. */
export async function canon({document, documents}) {
  const nquads = await jsonld.canonize(document, {
    algorithm: 'RDFC-1.0', format: 'application/n-quads', safe: true,
    documentLoader: makeDocumentLoader(documents)
  });
  return {nquads};
}

// pyld-style dataset {graph: [{subject, predicate, object}]} -> rdf-canonize's RDF/JS quads.
function toRdfJsTerm(term) {
  if(term.type === 'IRI') {
    return {termType: 'NamedNode', value: term.value};
  }
  if(term.type === 'blank node') {
    return {termType: 'BlankNode', value: term.value.replace(/^_:/, '')};
  }
  return {
    termType: 'Literal', value: term.value, language: term.language || '',
    datatype: {
      termType: 'NamedNode',
      value: term.language ? 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString' :
        (term.datatype || 'http://www.w3.org/2001/XMLSchema#string')
    }
  };
}

/** RDFC-1.0 of an RDF dataset given as terms (no JSON-LD, no N-Quads parsing in between). */
export async function canonDataset({dataset}) {
  const quads = [];
  for(const [graphName, triples] of Object.entries(dataset)) {
    let graph = {termType: 'DefaultGraph', value: ''};
    if(graphName !== '@default') {
      graph = graphName.startsWith('_:') ?
        {termType: 'BlankNode', value: graphName.slice(2)} : {termType: 'NamedNode', value: graphName};
    }
    for(const {subject, predicate, object} of triples) {
      quads.push({
        subject: toRdfJsTerm(subject), predicate: toRdfJsTerm(predicate),
        object: toRdfJsTerm(object), graph
      });
    }
  }
  const nquads = await rdfCanonize.canonize(quads, {algorithm: 'RDFC-1.0', format: 'application/n-quads'});
  return {nquads};
}

/** Verify a compact JWS against a public JWK with jose; return the payload and header. */
export async function verifyJwt({jws, jwk, currentDate}) {
  const key = await jose.importJWK(jwk, jwk.alg || defaultAlgorithm(jwk));
  const {payload, protectedHeader} = await jose.compactVerify(jws, key);
  const claims = await jose.jwtVerify(jws, key, currentDate ? {currentDate: new Date(currentDate)} : {});
  return {
    payload: JSON.parse(new TextDecoder().decode(payload)),
    protectedHeader,
    claimsChecked: claims.payload.iss !== undefined
  };
}

function defaultAlgorithm(jwk) {
  if(jwk.kty === 'OKP') {
    return 'EdDSA';
  }
  return jwk.kty === 'EC' ? 'ES256' : 'RS256';
}

/** A fresh Ed25519 Multikey whose controller document the loader will serve. */
export async function generateIssuerKey(controller) {
  const keyPair = await Ed25519Multikey.generate({controller});
  keyPair.id = `${controller}#${keyPair.publicKeyMultibase}`;
  const method = await keyPair.export({publicKey: true, includeContext: false});
  const controllerDocument = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: controller,
    verificationMethod: [method],
    assertionMethod: [keyPair.id]
  };
  return {keyPair, documents: {[controller]: controllerDocument}};
}

/** Sign with @digitalbazaar/vc `issue` and the eddsa-rdfc-2022 cryptosuite. */
export async function issueDi({credential, keyPair, documentLoader}) {
  const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022});
  return vc.issue({credential: structuredClone(credential), suite, documentLoader});
}

/**
 * A presentation signed with @digitalbazaar/vc `signPresentation` (an eddsa-rdfc-2022 `authentication`
 * proof) by a fresh did:key holder, for the verifier's `challenge` and `domain`.
 */
export async function signPresentation({presentation, challenge, domain}) {
  const keyPair = await Ed25519Multikey.generate();
  const did = `did:key:${keyPair.publicKeyMultibase}`;
  keyPair.controller = did;
  keyPair.id = `${did}#${keyPair.publicKeyMultibase}`;
  const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022});
  return vc.signPresentation({
    presentation: {...structuredClone(presentation), holder: did}, suite, challenge, domain,
    documentLoader: makeDocumentLoader()
  });
}

export const OPERATIONS = {
  'verify-di': verifyDi,
  'sign-presentation': signPresentation,
  canon,
  'canon-dataset': canonDataset,
  'verify-jwt': verifyJwt
};
