/**
 * The forms shared kernel: the definition format, the answer types, logic, navigation, the page step and
 * presentation, which the runner and the builder both use. They import forms' pure parts only from here
 * (and forms' stored data through its door, `api.ts`).
 */
export {
  DEFINITION_FORMAT_VERSION, QUESTION_TYPES,
  type Computed, type Logic, type Option, type Outcome, type Page, type Question, type QuestionType, type Route, type Section,
  type ServiceDefinition, type Text, type ValidationRule,
} from './definition/schema.js';
export { referencedIds, topLevelReferences, unknownOperators } from './definition/logic.js';
export type { Target } from './definition/navigation.js';
export { patternProblem, patternProblems } from './definition/patterns.js';
export type { AnswerContext, AnswerError, FormBody, RawAnswer } from './answers/answer-type.js';
export { answerTypeFor } from './answers/registry.js';
export type { StoredFile } from './answers/file.js';
export { prefillAnswer, prefillPlugin, type PrefillRequester } from './prefill/plugins.js';
export {
  answersForDisplay, answersToSubmit, firstIncompletePage, journeyPath, logicData, mayOpen, previousPage, resumeTarget, visibleQuestions,
  type Answers, type Item,
} from './journey/path.js';
export { nextAfterPage, questionOfError, readPostedPage, withPageAnswers } from './journey/page-step.js';
export { answerContext, blocks, errorSummary, pageComponents, pageHeading, pageTitle, questionPageView, savedRaws, text } from './journey/present.js';
