// Builds the static assets into public/ (git-ignored): govuk-frontend compiled with Plaza's neutral
// theme, its JavaScript and images (never the crown or the GDS Transport font).
import { mkdirSync, copyFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'public');
const govuk = join(root, 'node_modules/govuk-frontend/dist/govuk');
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
console.log(`plaza: assets built in ${out}`);
