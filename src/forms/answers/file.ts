import type { Question } from '../definition/schema.js';
import { invalidError, labelled, rawString, requiredError, type AnswerContext, type AnswerType, type FormBody, type RawAnswer, type ViewOptions, type Validated } from './answer-type.js';

/** A file the person uploaded, once it is in the blob store. */
export interface StoredFile { blobKey: string; name: string; size: number; contentType: string }

export const DEFAULT_ACCEPT = ['application/pdf', 'image/jpeg', 'image/png'];
export const DEFAULT_MAX_SIZE_MB = 10;

/** The media type from a file's first bytes: what the browser claims is not trusted. */
export function sniffContentType(data: Buffer): string | null {
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (data.length > 0 && !data.subarray(0, 4096).some((b) => b === 0)) return 'text/plain';
  return null;
}

const FILE_LABELS: Record<string, string> = {
  'application/pdf': 'PDF', 'image/jpeg': 'JPG', 'image/png': 'PNG', 'text/plain': 'TXT',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
};

/** A person-readable list of accepted types: "PDF, JPG or PNG". */
export function acceptedLabel(question: Question, ctx: AnswerContext): string {
  const labels = (question.accept ?? DEFAULT_ACCEPT).map((t) => FILE_LABELS[t] ?? t);
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} ${ctx.t('forms.or')} ${labels.at(-1)}` : labels[0] ?? '';
}

/**
 * A file upload. The runner stores the upload first (checkUpload, then the blob store) and passes the
 * stored file's details as the raw answer, so a form post can never claim a file it did not upload.
 */
export class FileAnswer implements AnswerType<StoredFile> {
  readonly type = 'file' as const;
  /** Only the runner's upload handling fills this in; posted text is ignored. */
  read(_body: FormBody, question: Question): RawAnswer { return { [question.id]: '' }; }
  toRaw(value: StoredFile, question: Question): RawAnswer { return { [question.id]: JSON.stringify(value) }; }
  isEmpty(raw: RawAnswer): boolean { return Object.values(raw).every((v) => v === ''); }
  firstFieldId(question: Question): string { return question.id; }
  exportValue(value: StoredFile): unknown { return value; }
  display(value: StoredFile): string { return `${value.name} (${Math.max(1, Math.round(value.size / 1024))} KB)`; }

  /** Checks an upload against the question's size and type limits before it is stored. */
  checkUpload(upload: { name: string; data: Buffer }, question: Question, ctx: AnswerContext): { ok: true; contentType: string } | { ok: false; error: { rule: string; message: string; field: string } } {
    const maxMb = question.maxSizeMb ?? DEFAULT_MAX_SIZE_MB;
    if (upload.data.length > maxMb * 1024 * 1024) return { ok: false, error: { ...invalidError(question, ctx, 'forms.error.fileSize', question.id, { max: maxMb }), rule: 'maxSize' } };
    const contentType = sniffContentType(upload.data);
    if (!contentType || !(question.accept ?? DEFAULT_ACCEPT).includes(contentType)) {
      return { ok: false, error: { ...invalidError(question, ctx, 'forms.error.fileType', question.id, { types: acceptedLabel(question, ctx) }), rule: 'fileType' } };
    }
    return { ok: true, contentType };
  }

  parse(raw: RawAnswer, question: Question, ctx: AnswerContext): Validated<StoredFile> {
    const stored = rawString(raw, question.id);
    if (stored === '') return question.optional ? { ok: true, value: null } : { ok: false, error: requiredError(question, ctx, 'forms.error.file', question.id) };
    try {
      const value = JSON.parse(stored) as StoredFile;
      if (typeof value.blobKey === 'string' && typeof value.name === 'string' && typeof value.size === 'number' && typeof value.contentType === 'string') return { ok: true, value };
    } catch { /* falls through to the error below */ }
    return { ok: false, error: requiredError(question, ctx, 'forms.error.file', question.id) };
  }

  view(question: Question, raw: RawAnswer, ctx: AnswerContext, options: ViewOptions) {
    const current = rawString(raw, question.id);
    let currentName = '';
    try { currentName = current ? (JSON.parse(current) as StoredFile).name : ''; } catch { currentName = ''; }
    const base = labelled(question, ctx, options);
    const limits = ctx.t('forms.file.limits', { types: acceptedLabel(question, ctx), max: question.maxSizeMb ?? DEFAULT_MAX_SIZE_MB });
    return { macro: 'govukFileUpload' as const, params: {
      id: question.id, name: question.id, ...base,
      hint: { text: [base.hint?.text, limits, currentName ? ctx.t('forms.file.current', { name: currentName }) : ''].filter(Boolean).join(' ') },
      attributes: { accept: (question.accept ?? DEFAULT_ACCEPT).join(',') },
    } };
  }
}

