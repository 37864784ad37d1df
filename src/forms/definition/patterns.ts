/*
 * "Answer must match a pattern" rules: the runner tests `^(?:pattern)$` with the `u` flag against the whole
 * answer. Authors are not regex specialists, so the builder refuses, before saving, and the checker blocks
 * publishing (so no definition from the API, an import or a seed reaches the runner with), a pattern that does not
 * compile and one whose shape can make matching take exponential time (catastrophic backtracking): a repeated
 * group that itself repeats or offers alternatives, e.g. (a+)+ or (a|ab)*, and back-references. The check
 * is deliberately conservative: such patterns can always be rewritten (a+ for (a+)+, [ab]+ for (a|b)+).
 */

export const MAX_PATTERN_CHARS = 200;

export type PatternProblem = 'empty' | 'tooLong' | 'invalid' | 'nestedRepeat' | 'backReference';

/** Whether the text at `i` starts a quantifier that repeats more than once: *, +, {n,} or {n,m} with m > 1. */
function repeatsAt(source: string, i: number): { repeats: boolean; length: number } {
  const c = source[i];
  if (c === '*' || c === '+') return { repeats: true, length: 1 };
  if (c === '?') return { repeats: false, length: 1 };
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (m) return { repeats: m[2] !== undefined && (m[3] === '' || Number(m[3]) > 1), length: m[0].length };
  }
  return { repeats: false, length: 0 };
}

/** Why a pattern would be refused, or null when it is safe to save. */
export function patternProblem(pattern: string): PatternProblem | null {
  if (!pattern.trim()) return 'empty';
  if (pattern.length > MAX_PATTERN_CHARS) return 'tooLong';
  try {
    new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return 'invalid';
  }
  // One frame per open group: whether something inside it repeats, and whether it has alternatives.
  const groups: { repeatsInside: boolean; alternatives: boolean }[] = [{ repeatsInside: false, alternatives: false }];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    let atomEnd = i;
    let closed: { repeatsInside: boolean; alternatives: boolean } | undefined;
    if (c === '\\') {
      if (/[1-9]/.test(pattern[i + 1] ?? '') || pattern[i + 1] === 'k') return 'backReference';
      atomEnd = i + 1;
    } else if (c === '[') {
      let j = i + 1;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      atomEnd = j;
    } else if (c === '(') {
      groups.push({ repeatsInside: false, alternatives: false });
      if (pattern[i + 1] === '?') i += pattern[i + 2] === '<' && !'=!'.includes(pattern[i + 3]) ? pattern.indexOf('>', i) - i : 2;
      continue;
    } else if (c === ')') {
      closed = groups.pop();
      if (!closed || groups.length === 0) return 'invalid';
    } else if (c === '|') {
      groups.at(-1)!.alternatives = true;
      continue;
    }
    const quantifier = repeatsAt(pattern, atomEnd + 1);
    if (closed) {
      if (quantifier.repeats && (closed.repeatsInside || closed.alternatives)) return 'nestedRepeat';
      if (closed.repeatsInside || quantifier.repeats) groups.at(-1)!.repeatsInside = true;
    } else if (quantifier.repeats) groups.at(-1)!.repeatsInside = true;
    i = atomEnd + quantifier.length;
    if (quantifier.length && pattern[i + 1] === '?') i++; // a lazy quantifier
  }
  return null;
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
