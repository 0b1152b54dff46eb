// JSON lines over stdin/stdout: one job per line {"id", "op", ...}; one answer per line
// {"id", "ok": true, "result"} or {"id", "ok": false, "error"}. Jobs run one at a time, in order.
import {createInterface} from 'node:readline';

import {OPERATIONS} from './lib/operations.mjs';

async function answer(line) {
  let job;
  try {
    job = JSON.parse(line);
  } catch(error) {
    return {id: null, ok: false, error: `not JSON: ${error.message}`};
  }
  const operation = OPERATIONS[job.op];
  if(!operation) {
    return {id: job.id, ok: false, error: `unknown op ${JSON.stringify(job.op)}`};
  }
  try {
    return {id: job.id, ok: true, result: await operation(job)};
  } catch(error) {
    return {id: job.id, ok: false, error: error.message || String(error)};
  }
}

const lines = createInterface({input: process.stdin, crlfDelay: Infinity});
for await (const line of lines) {
  if(line.trim()) {
    process.stdout.write(JSON.stringify(await answer(line)) + '\n');
  }
}
