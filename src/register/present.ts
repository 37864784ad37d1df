import type { Translate } from '../platform/http/i18n.js';
import { CHANNEL_KINDS, type ServiceContent } from './model.js';

/** Picks the Spanish text when the page is in Spanish and the editor wrote it, else the English. */
function pick(lang: string, english: string, spanish: string | null | undefined): string {
  return lang === 'es' && spanish ? spanish : english;
}

/** A service's content as a citizen page shows it, in the page's language. */
export function presentService(content: ServiceContent, lang: string, t: Translate) {
  const documents = lang === 'es' && content.documentsEs.length ? content.documentsEs : content.documents;
  return {
    name: pick(lang, content.name, content.nameEs),
    summary: pick(lang, content.summary, content.summaryEs),
    fees: pick(lang, content.fees, content.feesEs),
    timeToDecision: pick(lang, content.timeToDecision, content.timeToDecisionEs),
    documents,
    channels: [...content.channels]
      .sort((a, b) => CHANNEL_KINDS.indexOf(a.kind) - CHANNEL_KINDS.indexOf(b.kind))
      .map((c) => ({ kind: c.kind, label: t(`register.channel.${c.kind}`), how: pick(lang, c.how, c.howEs) })),
    lifeEvents: content.lifeEvents.map((code) => ({ code, label: t(`register.lifeEvent.${code}`) })),
    topics: content.topics.map((code) => ({ code, label: t(`register.topic.${code}`) })),
    audience: content.audience.map((code) => t(`register.audience.${code}`)),
    level: t(`register.level.${content.digitalisationLevel}`),
  };
}

/** A search hit or list row in the page's language. */
export function presentSummary(row: { slug: string; name: string; nameEs?: string | null; summary: string; summaryEs?: string | null; agencyName: string; agencyNameEs?: string | null }, lang: string) {
  return { slug: row.slug, name: pick(lang, row.name, row.nameEs), summary: pick(lang, row.summary, row.summaryEs), agency: pick(lang, row.agencyName, row.agencyNameEs) };
}

/** A coarse device class for analytics (never the user agent itself). */
export function deviceOf(userAgent: string | undefined): 'mobile' | 'tablet' | 'desktop' | 'unknown' {
  if (!userAgent) return 'unknown';
  if (/ipad|tablet/i.test(userAgent)) return 'tablet';
  if (/mobi|android/i.test(userAgent)) return 'mobile';
  return 'desktop';
}
