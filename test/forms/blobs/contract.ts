import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Readable } from 'node:stream';
import type { BlobStore } from '../../../src/forms/blobs/store.js';

/** Every byte value, so a store that treats the bytes as text fails. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

async function collect(stream: Readable): Promise<{ bytes: Buffer; chunks: number }> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return { bytes: Buffer.concat(chunks), chunks: chunks.length };
}

/**
 * What every blob store promises (src/forms/blobs/store.ts), run against each implementation so the
 * filesystem and S3 stores behave the same to the runner, cases and maturity.
 */
export function blobStoreContract(name: string, store: () => BlobStore): void {
  test(`${name}: put returns a new hard-to-guess key each time, and get returns the same bytes`, async () => {
    const first = await store().put(ALL_BYTES, 'application/octet-stream');
    const second = await store().put(ALL_BYTES, 'application/octet-stream');
    assert.match(first, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(first, second);
    assert.deepEqual(await store().get(first), ALL_BYTES);
    assert.deepEqual(await store().get(second), ALL_BYTES);
  });

  test(`${name}: an empty file is stored and read back empty (not "not found")`, async () => {
    const key = await store().put(Buffer.alloc(0), 'text/plain');
    assert.deepEqual(await store().get(key), Buffer.alloc(0));
  });

  test(`${name}: stream sends the bytes in pieces rather than holding the whole file`, async () => {
    const large = Buffer.alloc(1024 * 1024 + 7);
    for (let i = 0; i < large.length; i++) large[i] = (i * 31) % 251;
    const key = await store().put(large, 'application/pdf');
    const stream = await store().stream(key);
    assert.ok(stream, 'the stored file opens as a stream');
    const { bytes, chunks } = await collect(stream);
    assert.ok(bytes.equals(large), 'the streamed bytes are the stored ones');
    assert.ok(chunks > 1, `a 1 MiB file arrives in more than one piece (got ${chunks})`);
  });

  test(`${name}: delete removes the bytes for good, and deleting again is not an error`, async () => {
    const key = await store().put(Buffer.from('to be deleted'), 'text/plain');
    await store().delete(key);
    assert.equal(await store().get(key), undefined);
    assert.equal(await store().stream(key), undefined);
    await store().delete(key);
  });

  test(`${name}: a well-formed key that was never stored is not found, and deleting it is not an error`, async () => {
    // Starts with "-" and holds "_": base64url characters that must reach the store unharmed.
    const missing = '-_never-stored_0123456789abcdefA';
    assert.equal(missing.length, 32);
    assert.equal(await store().get(missing), undefined);
    assert.equal(await store().stream(missing), undefined);
    await store().delete(missing);
  });

  test(`${name}: keys with odd characters are never found, never deleted, and never reach a stored file`, async () => {
    const key = await store().put(Buffer.from('keep me'), 'text/plain');
    const odd = [
      '', ' ', '.', '..', '/', '../../etc/passwd', `../${key}`, `${key}/`, `${key}/../${key}`, ` ${key}`, `${key}\n`,
      `${key}.partial`, `${key.slice(0, 2)}/${key}`, `${key}%2F..`, 'ñandú-ünïcödé-…-東京-🙂-0123456789', 'a b+c&d=e?f#g', '\0'.repeat(32),
      'A'.repeat(1024),
    ];
    for (const candidate of odd) {
      assert.equal(await store().get(candidate), undefined, JSON.stringify(candidate));
      assert.equal(await store().stream(candidate), undefined, JSON.stringify(candidate));
      await store().delete(candidate);
    }
    assert.deepEqual(await store().get(key), Buffer.from('keep me'), 'the stored file is untouched');
  });
}
