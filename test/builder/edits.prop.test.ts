import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { definitionJsonSchema, parseDefinition, QUESTION_TYPES, type ServiceDefinition } from '../../src/forms/definition/schema.js';
import * as edits from '../../src/builder/edits/definition.js';
import { buildRoute, routableQuestions, answerChoices } from '../../src/builder/edits/routing.js';
import { EditProblem } from '../../src/builder/edits/problems.js';
import { readQuestion } from '../../src/builder/question-form.js';
import { CONDITION_OPERATORS, compileShowCondition, conditionQuestions, operatorsFor, setShowCondition } from '../../src/builder/edits/conditions.js';
import { addComputed, removeComputed } from '../../src/builder/edits/computed.js';
import { changeQuestionType } from '../../src/builder/edits/question-type.js';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validateSchema = ajv.compile(definitionJsonSchema());

// Edit commands as data: indexes pick among whatever pages, questions or sections exist at that moment.
const label = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('Your name', '¿Tiene fiebre?', '123', '   ', 'Date of birth'));
const pick = fc.nat({ max: 40 });
const direction = fc.constantFrom<'up' | 'down'>('up', 'down');
const formBody = fc.dictionary(
  fc.constantFrom('label.en', 'label.es', 'hint.en', 'optional', 'rule.maxLength.value', 'rule.maxLength.message.en', 'rule.min.value', 'rule.min.message.en',
    'rule.after.value', 'rule.after.message.en', 'rule.pattern.value', 'rule.pattern.message.en', 'option.0.en', 'option.1.en', 'option.1.es', 'option.0.value', 'none.en', 'currency', 'maxSizeMb', 'accept', 'display', 'scheme'),
  fc.oneof(label, fc.constantFrom('yes', '10', '-3', '2024-01-01', 'today', 'USD', 'radios', 'application/pdf', 'cl-rut', '[A-Z]{2}\\d+', '(a+)+', '[')),
);
const command = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('addPage'), type: fc.constantFrom(...QUESTION_TYPES), body: formBody, after: fc.option(pick) }), weight: 8 },
  fc.record({ op: fc.constant('addGroupPage'), title: label }),
  fc.record({ op: fc.constant('addQuestion'), page: pick, type: fc.constantFrom(...QUESTION_TYPES), body: formBody }),
  fc.record({ op: fc.constant('updateQuestion'), question: pick, body: formBody }),
  fc.record({ op: fc.constant('removeQuestion'), question: pick }),
  fc.record({ op: fc.constant('moveQuestion'), question: pick, direction }),
  fc.record({ op: fc.constant('moveQuestionToPage'), question: pick, page: fc.option(pick) }),
  fc.record({ op: fc.constant('movePage'), page: pick, direction }),
  fc.record({ op: fc.constant('removePage'), page: pick }),
  fc.record({ op: fc.constant('updatePage'), page: pick, title: label, content: label, section: fc.option(pick), repeat: fc.option(fc.record({ itemName: label, max: fc.option(fc.integer({ min: -2, max: 60 })) })) }),
  fc.record({ op: fc.constant('addSection'), title: label }),
  fc.record({ op: fc.constant('removeSection'), section: pick }),
  fc.record({ op: fc.constant('addOutcome'), title: label, body: label }),
  fc.record({ op: fc.constant('removeOutcome'), outcome: pick }),
  { arbitrary: fc.record({ op: fc.constant('addRoute'), page: pick, question: fc.option(pick), answer: pick, to: pick, isNot: fc.boolean() }), weight: 3 },
  fc.record({ op: fc.constant('removeRoute'), page: pick, index: fc.integer({ min: -1, max: 5 }) }),
  fc.record({ op: fc.constant('moveRoute'), page: pick, index: fc.integer({ min: -1, max: 5 }), direction }),
  { arbitrary: fc.record({ op: fc.constant('setCondition'), onPage: fc.boolean(), target: pick, question: pick, operator: fc.constantFrom(...CONDITION_OPERATORS), operatorIndex: pick, wild: fc.boolean(), values: fc.array(fc.oneof(pick.map(String), fc.constantFrom('true', 'false', '2024-01-01', 'x')), { minLength: 1, maxLength: 2 }), remove: fc.boolean() }), weight: 4 },
  fc.record({ op: fc.constant('addComputed'), title: label, question: fc.option(pick) }),
  fc.record({ op: fc.constant('removeComputed'), index: pick }),
  fc.record({ op: fc.constant('changeType'), question: pick, type: fc.constantFrom(...QUESTION_TYPES), prefillFits: fc.boolean() }),
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

const at = <T>(items: T[], index: number): T | undefined => items.length ? items[index % items.length] : undefined;
const questions = (d: ServiceDefinition) => d.pages.flatMap((p) => p.questions);
const text = (value: string) => edits.textFrom({ en: value, es: value.slice(0, 3) });

function apply(d: ServiceDefinition, c: Command): ServiceDefinition {
  const langs = d.languages;
  switch (c.op) {
    case 'addPage': {
      const { question } = readQuestion(c.body, c.type, langs);
      return edits.addPage(d, { question, afterPageId: c.after === null ? undefined : at(d.pages, c.after)?.id }).definition;
    }
    case 'addGroupPage': return edits.addPage(d, { title: text(c.title) }).definition;
    case 'addQuestion': return edits.addQuestion(d, at(d.pages, c.page)?.id ?? 'none', readQuestion(c.body, c.type, langs).question).definition;
    case 'updateQuestion': {
      const q = at(questions(d), c.question);
      return q ? edits.updateQuestion(d, q.id, readQuestion(c.body, q.type, langs, q).question) : d;
    }
    case 'removeQuestion': return edits.removeQuestion(d, at(questions(d), c.question)?.id ?? 'none');
    case 'moveQuestion': return edits.moveQuestion(d, at(questions(d), c.question)?.id ?? 'none', c.direction);
    case 'moveQuestionToPage': return edits.moveQuestionToPage(d, at(questions(d), c.question)?.id ?? 'none', c.page === null ? undefined : at(d.pages, c.page)?.id ?? 'none').definition;
    case 'movePage': return edits.movePage(d, at(d.pages, c.page)?.id ?? 'none', c.direction);
    case 'removePage': return edits.removePage(d, at(d.pages, c.page)?.id ?? 'none');
    case 'updatePage': return edits.updatePage(d, at(d.pages, c.page)?.id ?? 'none', {
      title: text(c.title), content: text(c.content), section: c.section === null ? undefined : at(d.sections ?? [], c.section)?.id ?? 'none',
      repeat: c.repeat === null ? undefined : { itemName: text(c.repeat.itemName), ...(c.repeat.max === null ? {} : { max: c.repeat.max }) },
    });
    case 'addSection': return edits.addSection(d, text(c.title)).definition;
    case 'removeSection': return edits.removeSection(d, at(d.sections ?? [], c.section)?.id ?? 'none');
    case 'addOutcome': return edits.addOutcome(d, { title: text(c.title), body: text(c.body) }).definition;
    case 'removeOutcome': return edits.removeOutcome(d, at(d.outcomes ?? [], c.outcome)?.id ?? 'none');
    case 'addRoute': {
      const page = at(d.pages, c.page);
      if (!page) return d;
      const question = c.question === null ? undefined : at(routableQuestions(d, page.id), c.question);
      const answer = question && at(answerChoices(question, 'en'), c.answer);
      const condition = question && answer ? { questionId: question.id, operator: c.isNot ? 'isNot' as const : 'is' as const, value: answer.value } : undefined;
      const targets = [{ kind: 'end' as const }, ...d.pages.map((p) => ({ kind: 'page' as const, pageId: p.id })), ...(d.outcomes ?? []).map((o) => ({ kind: 'outcome' as const, outcomeId: o.id }))];
      return edits.addRoute(d, page.id, buildRoute(d, condition, at(targets, c.to)!));
    }
    case 'removeRoute': return edits.removeRoute(d, at(d.pages, c.page)?.id ?? 'none', c.index);
    case 'moveRoute': return edits.moveRoute(d, at(d.pages, c.page)?.id ?? 'none', c.index, c.direction);
    case 'setCondition': {
      const holder = c.onPage ? at(d.pages, c.target) : at(questions(d), c.target);
      if (!holder) return d;
      const target = { kind: c.onPage ? 'page' as const : 'question' as const, id: holder.id };
      if (c.remove) return setShowCondition(d, target, undefined);
      const subject = at(conditionQuestions(d, target), c.question);
      // Mostly what the form offers (the type's operators, its answers picked by index), sometimes anything.
      const operator = subject && !c.wild ? at(operatorsFor(subject.type), c.operatorIndex)! : c.operator;
      const offered = subject ? answerChoices(subject, 'en').map((a) => a.value) : [];
      const values = c.values.map((v) => offered.length && /^\d+$/.test(v) && !c.wild ? at(offered, Number(v))! : v);
      return setShowCondition(d, target, compileShowCondition(d, target, { questionId: subject?.id ?? 'none', operator, values }));
    }
    case 'addComputed': {
      const q = c.question === null ? undefined : at(questions(d), c.question);
      return addComputed(d, { label: text(c.title), expression: q ? { '+': [{ var: q.id }, 1] } : true }).definition;
    }
    case 'removeComputed': return removeComputed(d, at(d.computed ?? [], c.index)?.id ?? 'none');
    case 'changeType': return changeQuestionType(d, at(questions(d), c.question)?.id ?? 'none', c.type, { prefillFits: c.prefillFits });
  }
}

test('any sequence of edits leaves a definition that passes the JSON Schema (or is refused with a field to fix)', () => {
  const stats = { pages: 0, routes: 0, conditions: 0 };
  fc.assert(fc.property(fc.array(command, { maxLength: 50 }), (commands) => {
    let d = edits.blankDefinition({ slug: 'property-test', title: { en: 'Property', es: 'Propiedad' }, languages: ['en', 'es'] });
    for (const c of commands) {
      const before = JSON.stringify(d);
      try {
        d = apply(d, c);
      } catch (error) {
        if (!(error instanceof EditProblem)) throw error;
        assert.equal(JSON.stringify(d), before, 'a refused edit changes nothing');
        continue;
      }
      if (c.op === 'setCondition' && !c.remove) stats.conditions++;
      const parsed = parseDefinition(d);
      assert.ok(parsed.ok, `after ${c.op}: ${JSON.stringify(!parsed.ok && parsed.errors)}`);
      assert.ok(validateSchema(JSON.parse(JSON.stringify(d))), `after ${c.op}: ${ajv.errorsText(validateSchema.errors)}`);
      const ids = [...d.pages.map((p) => p.id), ...questions(d).map((q) => q.id)];
      assert.equal(new Set(ids).size, ids.length, 'ids stay unique');
    }
    stats.pages = Math.max(stats.pages, d.pages.length);
    stats.routes = Math.max(stats.routes, d.pages.reduce((n, p) => n + (p.routes?.length ?? 0), 0));
  // 600 runs: 300 reached two routes in only about two runs of three.
  }), { numRuns: 600 });
  assert.ok(stats.pages >= 5 && stats.routes >= 2 && stats.conditions >= 1, `the commands reach interesting definitions: ${JSON.stringify(stats)}`);
});
