// Sign and verify throughput of digitalbazaar's stack (vc 7 + eddsa-rdfc-2022), one process.
// Reads {"credential": {...}, "seconds": n} on stdin; prints {"sign_per_s", "verify_per_s", ...}.
import {readFileSync} from 'node:fs';

import {generateIssuerKey, issueDi, verifyDi} from './lib/operations.mjs';
import {makeDocumentLoader} from './lib/loader.mjs';

async function rate(seconds, work) {
  for(let i = 0; i < 20; ++i) {
    await work();  // warm up the JIT and jsonld.js's context cache
  }
  let count = 0;
  const start = process.hrtime.bigint();
  const limit = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while(now < limit) {
    await work();
    ++count;
    now = process.hrtime.bigint();
  }
  return count / (Number(now - start) / 1e9);
}

const job = JSON.parse(readFileSync(0, 'utf8'));
const controller = job.credential.issuer.id;
const {keyPair, documents} = await generateIssuerKey(controller);
const documentLoader = makeDocumentLoader(documents);

const signed = await issueDi({credential: job.credential, keyPair, documentLoader});
const check = await verifyDi({credential: signed, documents, now: job.credential.validFrom});
if(!check.verified) {
  throw new Error(`self-check failed: ${check.errors.join('; ')}`);
}
const signPerSecond = await rate(job.seconds, () => issueDi({credential: job.credential, keyPair, documentLoader}));
const verifyPerSecond = await rate(job.seconds, () => verifyDi({credential: signed, documents, now: job.credential.validFrom}));
process.stdout.write(JSON.stringify({
  sign_per_s: signPerSecond, verify_per_s: verifyPerSecond, node: process.version
}) + '\n');
