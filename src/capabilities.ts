import type { Capability } from './platform/platform.js';
import { authRoutes } from './platform/auth/routes.js';
import { openApiRoutes } from './platform/http/openapi.js';
import { staffHome } from './staff/index.js';
import { notify } from './notify/index.js';
import { cases } from './cases/index.js';
import { register } from './register/index.js';
import { maturityCapability } from './maturity/index.js';
import { forms } from './forms/index.js';
import { builder } from './builder/index.js';
import { runner } from './runner/index.js';
import { insights } from './insights/index.js';
import { identity } from './identity/index.js';
import { registries } from './registries/index.js';

/**
 * Every capability, in the order their demo data is seeded. A capability reaches another only through
 * that one's door (its api.ts, handed over as platform.apis), never its tables.
 */
export const CAPABILITIES: Capability[] = [
  { name: 'auth', routes: authRoutes },
  { name: 'openapi', routes: openApiRoutes },
  staffHome(() => CAPABILITIES),
  notify,
  identity,
  register,
  registries,
  forms,
  builder,
  maturityCapability,
  runner,
  cases,
  // Last: its demo data measures the services the others seed.
  insights,
];
