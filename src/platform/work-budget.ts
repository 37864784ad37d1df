import { PlazaError } from './errors.js';
import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * Author content (answer patterns and json-logic written by editors) runs inside requests, including the builder
 * preview that anyone with the view role may open. Each request gets a budget of work steps for it, so no definition,
 * published or draft, can hold the event loop for long: one step is about one json-logic operation or one regular
 * expression instruction tried against one character of an answer (each measured at 0.1–0.4 µs), and 150,000 steps
 * stay well under 100 ms. Outside a request (jobs, the CLI) only the per-evaluation limits apply.
 */
export const REQUEST_WORK_STEPS = 150_000;

/** Author content needed more work than Plaza allows; the request stops with a clear 422 rather than freezing. */
export class WorkBudgetExceeded extends PlazaError {
  constructor(readonly reason: string) {
    super('too_much_work', 422, { key: 'platform.tooMuchWork.title' }, { detail: { key: 'platform.tooMuchWork.body' } });
  }
}

const budgets = new AsyncLocalStorage<{ stepsLeft: number }>();

/** Runs the rest of a request with a fresh budget (a callback-style Fastify onRequest hook, so the handler inherits it). */
export function withRequestWorkBudget(next: () => void): void {
  budgets.run({ stepsLeft: REQUEST_WORK_STEPS }, next);
}

/** Spends steps of the current request's budget, throwing WorkBudgetExceeded once it is used up. */
export function spendWork(steps: number, what: string): void {
  const budget = budgets.getStore();
  if (!budget) return;
  budget.stepsLeft -= steps;
  if (budget.stepsLeft < 0) throw new WorkBudgetExceeded(`Checking ${what} needed more than the ${REQUEST_WORK_STEPS} steps of work one request may use`);
}
