import type { Page, Route, ServiceDefinition } from './schema.js';

/** Where a route leads: a page, an outcome screen, or check your answers. */
export type Target = { kind: 'page'; pageId: string } | { kind: 'outcome'; outcomeId: string } | { kind: 'end' };

export function routeTarget(route: Route): Target | null {
  const targets = [route.goTo !== undefined, route.outcome !== undefined, route.end === true].filter(Boolean).length;
  if (targets !== 1) return null;
  if (route.goTo) return { kind: 'page', pageId: route.goTo };
  if (route.outcome) return { kind: 'outcome', outcomeId: route.outcome };
  return { kind: 'end' };
}

/** The page after `page` in document order, or the end. */
export function fallThrough(definition: ServiceDefinition, page: Page): Target {
  const index = definition.pages.findIndex((p) => p.id === page.id);
  const next = definition.pages[index + 1];
  return next ? { kind: 'page', pageId: next.id } : { kind: 'end' };
}

/** Every target a page may lead to, whatever the answers (for the checker's graph). */
export function possibleTargets(definition: ServiceDefinition, page: Page): Target[] {
  const targets: Target[] = [];
  let unconditional = false;
  for (const route of page.routes ?? []) {
    const target = routeTarget(route);
    if (target) targets.push(target);
    if (route.when === undefined || route.when === true) { unconditional = true; break; }
  }
  if (!unconditional) targets.push(fallThrough(definition, page));
  return targets;
}
