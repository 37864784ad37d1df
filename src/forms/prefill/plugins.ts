import type { DbOrTrx } from '../../platform/database.js';
import type { QuestionType, Question } from '../definition/schema.js';
import { findRegisteredAddress } from '../repo.js';

/** What a prefill plugin may look at: the database, the answers so far, and who is filling in the form. */
export interface PrefillContext {
  db: DbOrTrx;
  answers: Record<string, unknown>;
  /** The staff member completing the form for someone (phone, counter), if any. */
  staffId?: string;
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
  lookup(question: Question, ctx: PrefillContext): Promise<unknown | null>;
}

/** Reads the register of addresses by a national identity number answered earlier (`prefill.from`). */
export const addressRegisterPlugin: PrefillPlugin = {
  name: 'address-register',
  description: 'The address held in the register of addresses for the national identity number answered earlier',
  types: ['address'],
  async lookup(question, ctx) {
    const nationalId = question.prefill?.from ? ctx.answers[question.prefill.from] : undefined;
    if (typeof nationalId !== 'string') return null;
    const row = await findRegisteredAddress(ctx.db, nationalId);
    return (row?.address as Record<string, string> | undefined) ?? null;
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
