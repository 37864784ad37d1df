import type { FastifyReply, FastifyRequest } from 'fastify';
import { type errorsForView } from '../platform/http/views.js';
import { errorSummaryFor, wantsJson } from '../platform/http/problem.js';
import { nameForSniffedType } from '../platform/file-names.js';

// Small helpers the maturity routes share: reading forms, and showing a person's mistakes on the page.

export type Form = Record<string, unknown>;

export const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;

/** A text field's value (the last one if it was sent twice). */
export function field(form: Form, name: string): string | undefined {
  const value = form[name];
  if (Array.isArray(value)) return field({ [name]: value[value.length - 1] }, name);
  return typeof value === 'string' ? value : undefined;
}

/** Every value of a repeated field (checkboxes). */
export function fields(form: Form, name: string): string[] {
  const value = form[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** Uploaded files of a multipart field (the platform keeps their bytes only), skipping empty file inputs. */
export function uploadedFiles(form: Form, name: string): Buffer[] {
  const value = form[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is Buffer => Buffer.isBuffer(v) && v.length > 0);
}

const SIGNATURES: [string, (b: Buffer) => boolean, string][] = [
  ['application/pdf', (b) => b.subarray(0, 5).toString('latin1') === '%PDF-', 'pdf'],
  ['image/png', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'png'],
  ['image/jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff, 'jpg'],
  ['image/gif', (b) => b.subarray(0, 4).toString('latin1') === 'GIF8', 'gif'],
  ['image/webp', (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP', 'webp'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', (b) => b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])), 'docx'],
];

/**
 * What kind of file this is, from its first bytes. The platform's multipart setup keeps only each file's
 * bytes, so the type is sniffed rather than trusted from the browser (which is safer anyway).
 */
export function sniffFile(data: Buffer, index: number): { filename: string; contentType: string } {
  const sniffed = sniffType(data);
  // Newer platform builds keep the browser's file name on the buffer; the name is shown with the sniffed type's extension.
  const given = (data as Buffer & { filename?: unknown }).filename;
  const name = typeof given === 'string' ? given.split(/[\\/]/).pop()!.replace(/[^\w .()-]/g, '_').slice(0, 200).trim() : '';
  return { filename: name ? nameForSniffedType(name, sniffed.contentType) : `evidence-${index + 1}.${sniffed.extension}`, contentType: sniffed.contentType };
}

function sniffType(data: Buffer): { contentType: string; extension: string } {
  for (const [contentType, matches, extension] of SIGNATURES) {
    if (matches(data)) return extension === 'docx' ? { contentType: 'application/zip', extension: 'zip' } : { contentType, extension };
  }
  const looksLikeText = !data.subarray(0, 4096).includes(0) && Buffer.from(data.toString('utf8'), 'utf8').length === data.length;
  return looksLikeText ? { contentType: 'text/plain', extension: 'txt' } : { contentType: 'application/octet-stream', extension: 'bin' };
}

/** Renders the page again with the person's mistakes, or (for APIs) leaves the error to the platform's problem+json. */
export function showErrors(request: FastifyRequest, reply: FastifyReply, error: unknown, render: (view: ReturnType<typeof errorsForView>) => Promise<unknown> | unknown, fieldIds: Record<string, string> = {}) {
  if (wantsJson(request)) throw error;
  const summary = errorSummaryFor(request, error, fieldIds);
  reply.code(400);
  return render(summary);
}

