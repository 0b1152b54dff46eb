// An offline JSON-LD document loader: ob3's vendored contexts, the controller documents a job
// passes in, and did:key (computed, not fetched). Anything else throws; nothing touches the network.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';

const CONTEXTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'ob3', 'contexts');

function readVendoredContexts() {
  const manifest = JSON.parse(readFileSync(join(CONTEXTS_DIR, 'manifest.json'), 'utf8'));
  const contexts = new Map();
  for(const {url, file} of manifest) {
    contexts.set(url, JSON.parse(readFileSync(join(CONTEXTS_DIR, file), 'utf8')));
  }
  return contexts;
}

export const VENDORED_CONTEXTS = readVendoredContexts();

const didKey = didKeyDriver();
didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

// A verification method looked up by its URL `<controller>#<fragment>` inside the controller doc.
function findVerificationMethod(controllerDocument, url) {
  const methods = [].concat(controllerDocument.verificationMethod || []);
  const found = methods.find(vm => vm && typeof vm === 'object' && vm.id === url);
  if(!found) {
    return undefined;
  }
  return {'@context': 'https://w3id.org/security/multikey/v1', ...found};
}

/**
 * documentLoader(url) over the vendored contexts plus `documents` (url -> JSON).
 * @param {object} [documents] - extra documents, e.g. issuer controller documents.
 * @returns {Function} a jsonld.js document loader.
 */
export function makeDocumentLoader(documents = {}) {
  const extra = new Map(Object.entries(documents));
  return async function documentLoader(url) {
    const fixed = VENDORED_CONTEXTS.get(url) ?? extra.get(url);
    if(fixed !== undefined) {
      return {contextUrl: null, documentUrl: url, document: structuredClone(fixed)};
    }
    if(url.startsWith('did:key:')) {
      return {contextUrl: null, documentUrl: url, document: await didKey.get({url})};
    }
    const hash = url.indexOf('#');
    if(hash > 0 && extra.has(url.slice(0, hash))) {
      const method = findVerificationMethod(extra.get(url.slice(0, hash)), url);
      if(method) {
        return {contextUrl: null, documentUrl: url, document: method};
      }
    }
    throw new Error(`offline document loader: refusing to load ${url}`);
  };
}
