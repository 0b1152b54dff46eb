// The network the verifiers see when they check what a running platform publishes: the platform's
// public origin (e.g. https://mikromerit.test) answered by a live test server, a few URLs answered
// from named files, and nothing else. Every library here that goes online (DCC's verifier-core, did:web
// resolution, our own https handler) calls the global `fetch`, so replacing it routes all of them.
import {readFile} from 'node:fs/promises';

const realFetch = globalThis.fetch;

function requestUrl(input) {
  if(typeof input === 'string') {
    return input;
  }
  return input instanceof URL ? input.href : input.url;
}

/**
 * Replace `globalThis.fetch`: URLs under one of `origins` (public origin -> live server origin) go to
 * that server, URLs in `files` (url -> local path) are answered with the file, anything else throws.
 * @param {object} options - {origins, files}.
 * @returns {string[]} every URL asked for, in order (filled in as requests are made).
 */
export function routeFetch({origins = {}, files = {}} = {}) {
  const asked = [];
  globalThis.fetch = async function routedFetch(input, init) {
    const url = requestUrl(input);
    asked.push(url);
    if(Object.hasOwn(files, url)) {
      const headers = {'content-type': 'application/json'};
      return new Response(await readFile(files[url]), {status: 200, headers});
    }
    for(const [origin, target] of Object.entries(origins)) {
      if(url === origin || url.startsWith(`${origin}/`)) {
        const routed = target + url.slice(origin.length);
        return realFetch(input instanceof Request ? new Request(routed, input) : routed, init);
      }
    }
    throw new TypeError(`network closed: refusing to fetch ${url}`);
  };
  return asked;
}
