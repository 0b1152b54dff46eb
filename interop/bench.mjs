// Sign and verify with digitalbazaar's stack (vc 7 + eddsa-rdfc-2022) in short windows, on request.
// The first stdin line is {"credential": {...}}; the process signs and verifies it once (a self-check and a
// warm-up), answers {"ready": true, "node": ...}, then for each line {"op": "sign"|"verify", "seconds": s}
// works for about s seconds and answers {"op", "count", "cpu_s", "wall_s"}, where cpu_s is this process's
// CPU time (user + system, process.cpuUsage()) over the window. bench/bench_ob3.py drives it, alternating
// with its own windows so that whatever else runs on the machine slows both alike.
import {createInterface} from 'node:readline';

import {generateIssuerKey, issueDi, verifyDi} from './lib/operations.mjs';
import {makeDocumentLoader} from './lib/loader.mjs';

const lines = createInterface({input: process.stdin, terminal: false})[Symbol.asyncIterator]();
const answer = value => process.stdout.write(JSON.stringify(value) + '\n');

const job = JSON.parse((await lines.next()).value);
const controller = job.credential.issuer.id;
const {keyPair, documents} = await generateIssuerKey(controller);
const documentLoader = makeDocumentLoader(documents);
const work = {
  sign: () => issueDi({credential: job.credential, keyPair, documentLoader}),
  verify: () => verifyDi({credential: signed, documents, now: job.credential.validFrom})
};

const signed = await work.sign();
const check = await work.verify();
if(!check.verified) {
  throw new Error(`self-check failed: ${check.errors.join('; ')}`);
}
for(let i = 0; i < 20; ++i) {
  await work.sign();  // warm up the JIT and jsonld.js's context cache
  await work.verify();
}
answer({ready: true, node: process.version});

for(let line = await lines.next(); !line.done; line = await lines.next()) {
  const {op, seconds} = JSON.parse(line.value);
  const started = process.hrtime.bigint();
  const limit = started + BigInt(Math.round(seconds * 1e9));
  const cpu = process.cpuUsage();
  let count = 0;
  let now = started;
  while(now < limit) {
    await work[op]();
    ++count;
    now = process.hrtime.bigint();
  }
  const used = process.cpuUsage(cpu);
  answer({op, count, cpu_s: (used.user + used.system) / 1e6, wall_s: Number(now - started) / 1e9});
}
