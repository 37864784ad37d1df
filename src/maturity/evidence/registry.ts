import type { Db } from '../../platform/database.js';
import type { Apis } from '../../platform/capability-apis.js';

/** What a provider knows about one organisation, shown beside a question and never turned into a score. */
export type EvidenceResult =
  | { status: 'available'; figures: { label: string; value: string }[]; note?: string }
  | { status: 'no-data'; message: string }
  | { status: 'not-available-yet'; message: string };

/** An organisation's agency (null for a whole government), and the capabilities evidence comes from. */
export interface EvidenceContext { db: Db; apis: Apis; agencyId: string | null }

/** One source of platform evidence for some questions of one framework. */
export interface EvidenceProvider {
  key: string;
  /** Who the figures come from, shown as the evidence's label. */
  source: string;
  title: string;
  /** `<framework key>:<question ref>`, such as `dgx:ucd.5`. */
  questions: string[];
  collect(context: EvidenceContext): Promise<EvidenceResult>;
}

/**
 * Question → providers. Capabilities that come later (notifications, payments, sign-in) plug in by
 * registering a provider here; the question pages pick them up without other changes.
 */
export class EvidenceRegistry {
  private readonly byQuestion = new Map<string, EvidenceProvider[]>();
  private readonly keys = new Set<string>();

  register(provider: EvidenceProvider): void {
    if (this.keys.has(provider.key)) throw new Error(`Evidence provider "${provider.key}" is registered twice`);
    this.keys.add(provider.key);
    for (const question of provider.questions) this.byQuestion.set(question, [...(this.byQuestion.get(question) ?? []), provider]);
  }

  providersFor(frameworkKey: string, questionRef: string): EvidenceProvider[] {
    return this.byQuestion.get(`${frameworkKey}:${questionRef}`) ?? [];
  }

  /** Collects every provider's evidence for the given questions once; a provider that fails shows as not available. */
  async collect(frameworkKey: string, questionRefs: string[], context: EvidenceContext): Promise<Map<string, { provider: EvidenceProvider; result: EvidenceResult }[]>> {
    const cache = new Map<string, EvidenceResult>();
    const out = new Map<string, { provider: EvidenceProvider; result: EvidenceResult }[]>();
    for (const ref of questionRefs) {
      const entries = [];
      for (const provider of this.providersFor(frameworkKey, ref)) {
        if (!cache.has(provider.key)) {
          cache.set(provider.key, await provider.collect(context).catch((error: unknown) =>
            ({ status: 'not-available-yet', message: `This evidence could not be read (${error instanceof Error ? error.message : String(error)}).` })));
        }
        entries.push({ provider, result: cache.get(provider.key)! });
      }
      if (entries.length) out.set(ref, entries);
    }
    return out;
  }
}
