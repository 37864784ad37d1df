// Plaza runs compiled JavaScript from dist/ when it is up to date (a fast start), otherwise its TypeScript
// source through tsx (always correct). `npm install` compiles; so does `npm run build`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BUILD_STAMP = join(ROOT, 'dist', '.build-stamp');

function newestSourceChange(dir) {
  let newest = statSync(dir).mtimeMs; // a deleted file changes its folder
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceChange(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/ was compiled after the last change to any TypeScript file under src/. */
export function compiledIsCurrent() {
  return existsSync(BUILD_STAMP) && statSync(BUILD_STAMP).mtimeMs >= newestSourceChange(join(ROOT, 'src'));
}

/** Imports `src/<name>.ts`, from dist/ when the build is current. */
export async function importPlaza(name) {
  if (compiledIsCurrent()) {
    process.setSourceMapsEnabled(true);
    return import(pathToFileURL(join(ROOT, 'dist', `${name}.js`)).href);
  }
  if (existsSync(BUILD_STAMP)) process.stderr.write('plaza: src/ changed since the last build, so this runs from source (a slower start); `npm run build` compiles it again\n');
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(join(ROOT, 'src', `${name}.ts`)).href);
}
