import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../helpers/plaza.js';

/** Issue 17's budgets for slow connections: bytes transferred, compressed, headers included. */
const FIRST_VISIT_BUDGET = 100 * 1024;
const LATER_PAGE_BUDGET = 15 * 1024;
const BROWSER = { 'accept-encoding': 'br, gzip', accept: 'text/html,*/*', 'accept-language': 'en' };

interface Transfer { url: string; bytes: number; encoding: string }

/** One response as a browser receives it: status line, headers and the (compressed) body. */
async function fetchLikeABrowser(app: FastifyInstance, url: string): Promise<Transfer & { status: number; text: string; cacheControl: string }> {
  const res = await app.inject({ url, headers: BROWSER });
  let headerBytes = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n\r\n`.length;
  for (const [name, value] of Object.entries(res.headers)) for (const v of [value ?? ''].flat()) headerBytes += `${name}: ${String(v)}\r\n`.length;
  const encoding = String(res.headers['content-encoding'] ?? 'none');
  const body = encoding === 'br' ? brotliDecompressSync(res.rawPayload) : encoding === 'gzip' ? gunzipSync(res.rawPayload) : res.rawPayload;
  return {
    url, status: res.statusCode, bytes: headerBytes + res.rawPayload.length, encoding,
    text: body.toString('utf8'), cacheControl: String(res.headers['cache-control'] ?? ''),
  };
}

/** Same-origin files a page makes a browser fetch: stylesheets, icons, scripts, images, and what those import. */
function referencedFiles(html: string): string[] {
  const found = [
    ...html.matchAll(/<link\b[^>]*\bhref="(\/[^"]+)"/g), ...html.matchAll(/<script\b[^>]*\bsrc="(\/[^"]+)"/g), ...html.matchAll(/<img\b[^>]*\bsrc="(\/[^"]+)"/g),
  ].map((m) => m[1]).filter((href) => !href.startsWith('//'));
  return [...new Set(found)];
}

function importsOf(script: string): string[] {
  return [...script.matchAll(/import\(\s*'(\/[^']+)'\s*\)|from\s+'(\/[^']+)'/g)].map((m) => m[1] ?? m[2]);
}

function urlsInCss(css: string): string[] {
  return [...css.matchAll(/url\("?(\/[^")]+)"?\)/g)].map((m) => m[1]);
}

/** Everything a first visit transfers: the page and each file it references, followed through CSS and JS. */
async function firstVisit(app: FastifyInstance, url: string): Promise<{ page: Transfer; files: (Transfer & { cacheControl: string })[] }> {
  const page = await fetchLikeABrowser(app, url);
  assert.equal(page.status, 200, `${url} answers`);
  const queue = referencedFiles(page.text);
  const seen = new Set<string>();
  const files: (Transfer & { cacheControl: string })[] = [];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const res = await fetchLikeABrowser(app, file);
    // A CSS url() only loads if an element uses it; one that does not exist is never fetched by a page that renders.
    if (res.status === 404 && !referencedFiles(page.text).includes(file)) continue;
    assert.equal(res.status, 200, `${file} (referenced by ${url}) answers`);
    files.push(res);
    if (file.endsWith('.js')) queue.push(...importsOf(res.text));
    if (file.endsWith('.css')) queue.push(...urlsInCss(res.text));
  }
  return { page, files };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

describeEachDatabase('page weight on slow connections', (plaza) => {
  test('a first visit is at most 100 KB transferred, assets included; a later page at most 15 KB', async () => {
    const { app } = plaza();
    const home = (await app.inject({ url: '/' })).body;
    const topic = /href="(\/topics\/[^"]+)"/.exec(home)?.[1];
    assert.ok(topic, 'the front door links a topic');
    const pages = { 'front door': '/', 'topic page': topic, 'runner page': '/apply/housing-support-application' };
    const report: string[] = [];
    for (const [name, url] of Object.entries(pages)) {
      const { page, files } = await firstVisit(app, url);
      const total = page.bytes + files.reduce((sum, f) => sum + f.bytes, 0);
      report.push(`${name} ${url}: first visit ${kb(total)} = page ${kb(page.bytes)} (${page.encoding}) + ${files.map((f) => `${f.url.replace(/^\/assets\//, '')} ${kb(f.bytes)} (${f.encoding})`).join(' + ')}`);
      assert.ok(total <= FIRST_VISIT_BUDGET, `${name}: first visit ${kb(total)} is over ${kb(FIRST_VISIT_BUDGET)}`);
      for (const file of files) assert.match(file.cacheControl, /immutable/, `${file.url} is cached for good, so later pages need not fetch it`);
      // A later page: every file is in the browser's cache already (immutable), so only the page itself travels.
      assert.ok(page.bytes <= LATER_PAGE_BUDGET, `${name}: as a later page ${kb(page.bytes)} is over ${kb(LATER_PAGE_BUDGET)}`);
      report.push(`${name} as a later page: ${kb(page.bytes)}`);
    }
    console.log(report.join('\n'));
  });
}, { engines: 'default' });
