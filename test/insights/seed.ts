import { before } from 'node:test';
import { CAPABILITIES } from '../../src/capabilities.js';
import type { TestPlaza } from '../helpers/plaza.js';

/** The capabilities whose demo data Insights tests need: agencies and staff, forms, the register, Insights. */
const NEEDED = ['staff', 'forms', 'register', 'insights'];

/**
 * Seeds only what Insights needs (start the test Plaza with `seed: false`), so these tests do not depend on
 * every other capability's demo data.
 */
export function seedForInsights(plaza: () => TestPlaza): void {
  before(async () => {
    for (const capability of CAPABILITIES.filter((c) => NEEDED.includes(c.name))) await capability.seedDemo?.(plaza().platform);
  });
}
