import { CHANNEL_KINDS, type ChannelKind, type ServiceContent } from './model.js';
import type { FieldMessage } from '../platform/errors.js';

/** The edit form's fields, as posted (strings, or arrays for checkboxes). */
export type FormBody = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined): string => (Array.isArray(value) ? value.join(' ') : value ?? '');
const many = (value: string | string[] | undefined): string[] => (Array.isArray(value) ? value : value ? [value] : []).filter((v) => v !== '');
const lines = (value: string | string[] | undefined): string[] => one(value).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
const commaList = (value: string | string[] | undefined): string[] => one(value).split(/[,;\n]/).map((l) => l.trim()).filter(Boolean);

const TEXT_FIELDS = ['name', 'nameEs', 'summary', 'summaryEs', 'ownerName', 'ownerContact', 'fees', 'feesEs', 'timeToDecision', 'timeToDecisionEs', 'legalBasis', 'startUrl'] as const;

/** Turns the posted form into content for the schema; a channel is offered when its "how" is filled in. */
export function formToContent(body: FormBody): Record<string, unknown> & { channels: { kind: ChannelKind; how: string; howEs: string }[] } {
  const content: Record<string, unknown> = {};
  for (const field of TEXT_FIELDS) content[field] = one(body[field]).trim();
  content.lifeEvents = many(body.lifeEvents);
  content.topics = many(body.topics);
  content.audience = many(body.audience);
  content.digitalisationLevel = one(body.digitalisationLevel) || undefined;
  content.signInNeeded = one(body.signInNeeded) === 'yes';
  content.documents = lines(body.documents);
  content.documentsEs = lines(body.documentsEs);
  content.keywords = commaList(body.keywords);
  const channels = CHANNEL_KINDS
    .map((kind) => ({ kind, how: one(body[`channel-${kind}-how`]).trim(), howEs: one(body[`channel-${kind}-howEs`]).trim() }))
    .filter((c) => c.how || c.howEs);
  return { ...content, channels };
}

/** The form's values for a service's content (to fill the form in). */
export function contentToForm(content: ServiceContent | Record<string, unknown>): Record<string, unknown> {
  const c = content as ServiceContent;
  const values: Record<string, unknown> = { ...c, signInNeeded: c.signInNeeded ? 'yes' : 'no', documents: (c.documents ?? []).join('\n'), documentsEs: (c.documentsEs ?? []).join('\n'), keywords: (c.keywords ?? []).join(', ') };
  for (const channel of c.channels ?? []) {
    values[`channel-${channel.kind}-how`] = channel.how;
    values[`channel-${channel.kind}-howEs`] = channel.howEs;
  }
  return values;
}

/** Schema paths (`channels.1.how`, `lifeEvents.0`) as the ids of the form's inputs. */
export function problemsToFields(problems: FieldMessage[], channels: { kind: ChannelKind }[]): FieldMessage[] {
  return problems.map((p) => {
    const [first, second, third] = p.path.split('.');
    if (first === 'channels' && second !== undefined && channels[Number(second)]) return { ...p, path: `channel-${channels[Number(second)].kind}-${third === 'howEs' ? 'howEs' : 'how'}` };
    if (first === 'channels') return { ...p, path: 'channel-online-how' };
    return { ...p, path: first };
  });
}
