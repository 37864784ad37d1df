import type { ServiceContent } from './model.js';

/** One run of words in a text diff: unchanged, removed or added. */
export interface DiffPart { kind: 'same' | 'removed' | 'added'; text: string }
export interface FieldChange { field: keyof ServiceContent; before: string; after: string; parts: DiffPart[] }

/** Words and the whitespace after them, so joining the parts gives back the text. */
function tokens(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/**
 * A word-level diff (longest common subsequence). Service texts are short (hundreds of words), so the
 * quadratic table is cheap; very long texts fall back to "all removed, all added" to bound the work.
 */
export function diffWords(before: string, after: string): DiffPart[] {
  const a = tokens(before);
  const b = tokens(after);
  if (a.length * b.length > 250_000) return [...(before ? [{ kind: 'removed' as const, text: before }] : []), ...(after ? [{ kind: 'added' as const, text: after }] : [])];
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i].trim() === b[j].trim() ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart['kind'], text: string) => {
    const last = parts[parts.length - 1];
    if (last?.kind === kind) last.text += text; else parts.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i].trim() === b[j].trim()) { push('same', b[j]); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) push('removed', a[i++]);
    else push('added', b[j++]);
  }
  while (i < a.length) push('removed', a[i++]);
  while (j < b.length) push('added', b[j++]);
  return parts;
}

/** A field's value as people read it in a diff: lists one item a line, channels as "kind: how". */
export function fieldText(content: Partial<ServiceContent> | undefined, field: keyof ServiceContent): string {
  const value = content?.[field];
  if (value === undefined || value === null) return '';
  if (field === 'channels') return (value as ServiceContent['channels']).map((c) => `${c.kind}: ${c.how}${c.howEs ? ` / ${c.howEs}` : ''}`).join('\n');
  if (Array.isArray(value)) return value.join('\n');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** The fields that differ between two versions, each with its word-level diff. */
export function diffContent(before: Partial<ServiceContent> | undefined, after: ServiceContent): FieldChange[] {
  const fields = Object.keys(after) as (keyof ServiceContent)[];
  return fields.flatMap((field) => {
    const was = fieldText(before, field);
    const now = fieldText(after, field);
    return was === now ? [] : [{ field, before: was, after: now, parts: diffWords(was, now) }];
  });
}
