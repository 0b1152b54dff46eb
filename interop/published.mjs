// Verify what a running platform publishes, as outside verifiers would (lib/published.mjs).
//
// stdin: one JSON object {origins: {"https://public.origin": "http://127.0.0.1:port"}, items: [...]}.
// stdout: one JSON line per item, in order: {verifier, verified, revoked, errors, fetched, ...}, where
// `fetched` lists the URLs asked for while answering (documents already loaded are not asked again).
// Libraries' own console output goes to stderr, so stdout carries nothing but answers.
import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {text} from 'node:stream/consumers';

import {routeFetch} from './lib/network.mjs';

// The schema verifier-core checks every OB 3.0 credential against (it names it in credentialSchema):
// 1EdTech's file, which the repository does not hold; it is read from ../shared/ob3 beside the repository
// (see ob3/schemas/PROVENANCE.md). Without that folder the URL is not answered and verifier-core reports
// the schema as unavailable.
const OB_SCHEMA_URL =
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';
const OB_SCHEMA_FILE = join(
  dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'ob3', 'schemas', 'purl',
  'ob_v3p0_achievementcredential_schema.json');

for(const method of ['log', 'info', 'warn', 'debug']) {
  console[method] = (...args) => console.error(...args);
}

const {origins, items} = JSON.parse(await text(process.stdin));
const asked = routeFetch({origins, files: existsSync(OB_SCHEMA_FILE) ? {[OB_SCHEMA_URL]: OB_SCHEMA_FILE} : {}});
const {answer} = await import('./lib/published.mjs');

// One at a time: the live test server and its database see one verifier's requests at once.
for(const item of items) {
  const start = asked.length;
  const result = await answer(item);
  process.stdout.write(JSON.stringify({...result, fetched: asked.slice(start)}) + '\n');
}
