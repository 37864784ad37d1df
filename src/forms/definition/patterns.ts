import { RE2JS } from 're2js';
import { spendWork } from '../../platform/work-budget.js';

/*
 * "Answer must match a pattern" rules: the whole answer must match. Patterns are written by editors, so they run in
 * RE2 (re2js), whose matching time is linear in the answer's length whatever the pattern: no backtracking, so no
 * (a+)+ or \d*\d*\d*x can freeze the server. The cost is the pattern's compiled size times the answer's length, so
 * counted repeats (which RE2 unrolls: .{0,100} is 100 copies) are limited too, and every match is charged to the
 * request's work budget. The builder refuses, before saving, and the checker blocks publishing (so no definition from
 * the API, an import or a seed reaches the runner with) a pattern RE2 cannot run, such as a back-reference or a
 * look-ahead.
 */

export const MAX_PATTERN_CHARS = 200;
/** How many pieces (characters, classes, alternatives) a pattern may have once its counted repeats are unrolled. */
export const MAX_PATTERN_SIZE = 100;

export type PatternProblem = 'empty' | 'tooLong' | 'invalid' | 'unsupported' | 'tooComplex';

/** The largest count of a quantifier at `i` ({n}, {n,} or {n,m}) and its length, or null when there is none. */
function countedRepeatAt(pattern: string, i: number): { count: number; length: number } | null {
  const m = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(i, i + 16));
  return m ? { count: Math.max(Number(m[1]), Number(m[2] || 0)), length: m[0].length } : null;
}

/** Where the atom starting at `i` ends (inclusive): an escape (with its {…} argument), a class, or one character. */
function atomEnd(pattern: string, i: number): number {
  if (pattern[i] === '\\') {
    return pattern[i + 2] === '{' && 'pPxu'.includes(pattern[i + 1]) ? Math.max(pattern.indexOf('}', i), i + 1) : i + 1;
  }
  if (pattern[i] !== '[') return i;
  let j = i + 1;
  while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
  return j;
}

/** The size of a pattern with its counted repeats unrolled, as RE2 compiles it: (ab){3}c is 7. */
export function patternSize(pattern: string): number {
  const groups = [0];
  for (let i = 0; i < pattern.length; i++) {
    let size = 1;
    if (pattern[i] === '(') {
      groups.push(0);
      if (pattern[i + 1] === '?') {
        // (?:, (?<name>, (?P<name> and flags like (?i) add nothing: skip to their ':' or '>' (a ')' still closes).
        while (i + 1 < pattern.length && !':>)'.includes(pattern[i + 1])) i++;
        if (pattern[i + 1] !== ')') i++;
      }
      continue;
    }
    if (pattern[i] === ')') size = groups.length > 1 ? groups.pop()! : 0;
    else i = atomEnd(pattern, i);
    const repeat = countedRepeatAt(pattern, i + 1);
    if (repeat) i += repeat.length;
    groups[groups.length - 1] += size * (repeat ? Math.max(repeat.count, 1) : 1);
  }
  return groups.reduce((sum, size) => sum + size, 0);
}

const NAMED_BACK_REFERENCE = /(?<!\\)(?:\\\\)*\\k</;

/** Compiles a pattern written in JavaScript's syntax (\u00e9, (?<name>…)) for RE2; throws when RE2 cannot run it. */
function compileForRe2(pattern: string): RE2JS {
  // The translation would turn a named back-reference (\k<name>) into the letters "k<name>": refuse it instead.
  if (NAMED_BACK_REFERENCE.test(pattern)) throw new Error('RE2 has no back-references');
  return RE2JS.compile(RE2JS.translateRegExp(pattern));
}

// Compiled patterns by source: a page's rules are checked on every answer, and compiling is the slow part.
const compiled = new Map<string, RE2JS | null>();
const MAX_COMPILED = 1000;

function compile(pattern: string): RE2JS | null {
  if (!compiled.has(pattern)) {
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(pattern, patternProblem(pattern) ? null : compileForRe2(pattern));
  }
  return compiled.get(pattern)!;
}

/** Why a pattern would be refused, or null when it is safe to save. */
export function patternProblem(pattern: string): PatternProblem | null {
  if (!pattern.trim()) return 'empty';
  if (pattern.length > MAX_PATTERN_CHARS) return 'tooLong';
  try {
    new RegExp(pattern, 'u');
  } catch {
    return 'invalid';
  }
  // Before RE2 compiles it: unrolling a pattern far over the limit is itself slow.
  if (patternSize(pattern) > MAX_PATTERN_SIZE) return 'tooComplex';
  try {
    compileForRe2(pattern);
  } catch {
    return 'unsupported';
  }
  return null;
}

/** Whether a whole answer matches a pattern rule; a pattern Plaza would refuse does not apply, as a broken one never did. */
export function answerMatchesPattern(pattern: string, answer: string): boolean {
  const re = compile(pattern);
  if (!re) return true;
  // RE2 may try every instruction at every character: about twice the unrolled size each.
  spendWork(2 * patternSize(pattern) * (answer.length + 1), 'an answer against its pattern');
  return re.matches(answer);
}

/** The pattern rules of a definition that are unsafe or broken, by path (an imported file can hold any). */
export function patternProblems(definition: { pages: { questions: { validation?: { rule: string; value: unknown }[] }[] }[] }): { path: string; problem: PatternProblem }[] {
  const found: { path: string; problem: PatternProblem }[] = [];
  definition.pages.forEach((page, p) => page.questions.forEach((question, q) => (question.validation ?? []).forEach((rule, r) => {
    const problem = rule.rule === 'pattern' && typeof rule.value === 'string' ? patternProblem(rule.value) : null;
    if (problem) found.push({ path: `pages.${p}.questions.${q}.validation.${r}.value`, problem });
  })));
  return found;
}
