// Builds the static assets into public/ (git-ignored): govuk-frontend compiled with Plaza's neutral
// theme, its JavaScript and images (never the crown or the GDS Transport font).
//
// Every file is written twice: under its plain name, and under a fingerprinted one (`plaza.<hash>.css`, the hash of
// its content) that pages link to through public/manifest.json and that is served `immutable` for a year, with a
// brotli (.br) and gzip (.gz) copy beside it compressed once here at maximum effort (docs/decisions/0095).
import { createHash } from 'node:crypto';
import { mkdirSync, copyFileSync, writeFileSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as sass from 'sass';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'public');
const govuk = join(root, 'node_modules/govuk-frontend/dist/govuk');
rmSync(out, { recursive: true, force: true }); // no stale fingerprinted file outlives its source
mkdirSync(out, { recursive: true });

const result = sass.compile(join(root, 'src/platform/assets/plaza.scss'), {
  style: 'compressed',
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true,
  silenceDeprecations: ['import', 'global-builtin'],
});
writeFileSync(join(out, 'plaza.css'), result.css);
copyFileSync(join(govuk, 'govuk-frontend.min.js'), join(out, 'govuk-frontend.min.js'));
for (const file of readdirSync(join(root, 'src/platform/assets'))) {
  if (file.endsWith('.js') || file.endsWith('.svg')) copyFileSync(join(root, 'src/platform/assets', file), join(out, file));
}
if (!existsSync(join(out, 'plaza.css'))) throw new Error('asset build failed');

const manifest = {};
/** Writes `name` under its fingerprinted name with compressed copies, and records it in the manifest. */
function fingerprint(name) {
  const content = readFileSync(join(out, name));
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 12);
  const hashed = `${name.slice(0, -extname(name).length)}.${hash}${extname(name)}`;
  writeFileSync(join(out, hashed), content);
  writeFileSync(join(out, `${hashed}.br`), brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }));
  writeFileSync(join(out, `${hashed}.gz`), gzipSync(content, { level: 9 }));
  manifest[name] = hashed;
}
for (const name of ['plaza.css', 'govuk-frontend.min.js', 'favicon.svg']) fingerprint(name);
// A capability's own scripts and styles (src/<capability>/assets/) as `<capability>/<file>`.
for (const capability of readdirSync(join(root, 'src'))) {
  const folder = join(root, 'src', capability, 'assets');
  if (capability === 'platform' || !existsSync(folder)) continue;
  for (const file of readdirSync(folder).filter((f) => /\.(js|css|svg)$/.test(f))) {
    mkdirSync(join(out, capability), { recursive: true });
    copyFileSync(join(folder, file), join(out, capability, file));
    fingerprint(`${capability}/${file}`);
  }
}
// init.js loads govuk-frontend by its fingerprinted name, so it is fingerprinted after it, from what it now says.
const init = readFileSync(join(out, 'init.js'), 'utf8');
if (!init.includes("'/assets/govuk-frontend.min.js'")) throw new Error('init.js no longer imports /assets/govuk-frontend.min.js: update build-assets.mjs');
writeFileSync(join(out, 'init.js'), init.replace("'/assets/govuk-frontend.min.js'", `'/assets/${manifest['govuk-frontend.min.js']}'`));
fingerprint('init.js');
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`plaza: assets built in ${out}`);
