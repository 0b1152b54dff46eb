// Extracts the published JSON-LD contexts that ob3 serves offline from the npm packages that carry them
// (ob3/contexts/package.json pins them; `npm ci` there first) into ob3/contexts/npm/. Run by `make install`
// and the Dockerfile. ob3 checks every document against the digest in manifest.json when it loads it, so a
// package that changed its content fails loudly instead of changing what our signatures mean.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {basename, dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const CONTEXTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'ob3', 'contexts');
const MODULES_DIR = join(CONTEXTS_DIR, 'node_modules');
const require = createRequire(join(CONTEXTS_DIR, 'package.json'));

const manifest = JSON.parse(readFileSync(join(CONTEXTS_DIR, 'manifest.json'), 'utf8'));
const written = new Set();
for(const {url, file, package: source} of manifest) {
  if(!source || written.has(file)) {
    continue;
  }
  if(source.registry !== 'npm') {
    throw new Error(`${url}: unknown registry ${source.registry}`);
  }
  const packageDir = join(MODULES_DIR, source.name);
  const installed = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
  if(installed !== source.version) {
    throw new Error(`${url}: ${source.name} ${installed} is installed, the manifest names ${source.version}` +
      ' (run `npm ci` in ob3/contexts)');
  }
  const sourcePath = join(packageDir, source.path);
  // .js paths are CommonJS modules whose export is the document; the others are the JSON document itself.
  const content = sourcePath.endsWith('.js') ?
    JSON.stringify(require(sourcePath), null, 2) + '\n' :
    readFileSync(sourcePath, 'utf8');
  JSON.parse(content);
  const target = join(CONTEXTS_DIR, file);
  if(dirname(target) !== join(CONTEXTS_DIR, 'npm') || basename(target) !== basename(file)) {
    throw new Error(`${url}: a packaged context must be written under npm/, not ${file}`);
  }
  mkdirSync(dirname(target), {recursive: true});
  writeFileSync(target, content);
  written.add(file);
}
console.log(`install_contexts: ${written.size} contexts extracted into ob3/contexts/npm/`);
