import type { DbOrTrx } from '../../platform/database.js';
import { recordRead, type Actor, type PersonRef } from '../../platform/audit.js';
import { sha256 } from '../../platform/hashing.js';
import type { QuestionType, Question } from '../definition/schema.js';
import { findRegisteredAddress } from '../repo.js';

/**
 * Who is filling in the form, as the rule for personal data sees them: nobody signed in, or a staff member
 * completing the service for someone, with the purpose they recorded when they started. (Citizens cannot
 * sign in yet; when they can, a signed-in person will get their own data only.)
 */
export type PrefillRequester = { kind: 'anonymous' } | { kind: 'staff'; actor: Actor; purpose: string };

/** What a prefill plugin may look at: the database, the answers so far, and who is filling in the form. */
export interface PrefillContext {
  db: DbOrTrx;
  answers: Record<string, unknown>;
  requester: PrefillRequester;
}

/**
 * Fills a question from a registry or a profile. Plugins return a typed answer (as the question's answer
 * type stores it) or null; the person always sees and can change what was filled in.
 */
export interface PrefillPlugin {
  name: string;
  description: string;
  /** The question types the plugin can fill. */
  types: QuestionType[];
  /**
   * Whether it returns a person's data (an address, a date of birth…). `prefillAnswer` never calls such a
   * plugin for an anonymous journey: only for staff with a recorded purpose, and each answer is an audited read.
   */
  personalData: boolean;
  lookup(question: Question, ctx: PrefillContext): Promise<unknown | null>;
}

/** Reads the register of addresses by a national identity number answered earlier (`prefill.from`). */
export const addressRegisterPlugin: PrefillPlugin = {
  name: 'address-register',
  description: 'The address held in the register of addresses for the national identity number answered earlier',
  types: ['address'],
  personalData: true,
  async lookup(question, ctx) {
    const nationalId = question.prefill?.from ? ctx.answers[question.prefill.from] : undefined;
    if (typeof nationalId !== 'string') return null;
    const row = await findRegisteredAddress(ctx.db, nationalId);
    return (row?.address) ?? null;
  },
};

const plugins = new Map<string, PrefillPlugin>([[addressRegisterPlugin.name, addressRegisterPlugin]]);

/** Adds a plugin (a later data exchange, a profile); names are unique. */
export function registerPrefillPlugin(plugin: PrefillPlugin): void {
  if (plugins.has(plugin.name)) throw new Error(`Prefill plugin ${plugin.name} is already registered`);
  plugins.set(plugin.name, plugin);
}

export function prefillPlugin(name: string): PrefillPlugin | undefined {
  return plugins.get(name);
}

export function prefillPluginNames(): string[] {
  return [...plugins.keys()];
}

/** The person a prefill is about, for the audit log: a hash of the national identity number it looks up by. */
function subjectOf(question: Question, answers: Record<string, unknown>): PersonRef[] {
  const id = question.prefill?.from ? answers[question.prefill.from] : undefined;
  return typeof id === 'string' ? [`national-id:${sha256(id)}`] : [];
}

/**
 * A question's answer from its prefill plugin, under the rule for personal data: a plugin that returns a
 * person's data is not called unless a staff member with a recorded purpose is filling in the form (null
 * otherwise), and what it returns to them is recorded as a read of that person's data.
 */
export async function prefillAnswer(question: Question, ctx: PrefillContext): Promise<unknown | null> {
  const plugin = question.prefill ? plugins.get(question.prefill.plugin) : undefined;
  if (!plugin) return null;
  const { requester } = ctx;
  if (plugin.personalData && requester.kind !== 'staff') return null;
  const found = (await plugin.lookup(question, ctx)) ?? null;
  if (found !== null && plugin.personalData && requester.kind === 'staff') {
    await recordRead(ctx.db, requester.actor, {
      what: `prefill.${plugin.name}`, subjectType: 'prefill', subjectId: question.id, people: subjectOf(question, ctx.answers), purpose: 'assisted_service', reason: requester.purpose,
    });
  }
  return found;
}
