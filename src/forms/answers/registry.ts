import type { Question, QuestionType } from '../definition/schema.js';
import type { AnswerType } from './answer-type.js';
import { EmailAnswer, LongTextAnswer, PhoneAnswer, TextAnswer } from './text.js';
import { MoneyAnswer, NumberAnswer } from './number.js';
import { DateAnswer, DateOfBirthAnswer } from './date.js';
import { OneChoiceAnswer, SeveralChoicesAnswer, YesNoAnswer } from './choice.js';
import { AddressAnswer, NameAnswer } from './composite.js';
import { NationalIdAnswer } from './national-id.js';
import { FileAnswer } from './file.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one registry of answer types whose values differ by type
const ANSWER_TYPES: Record<QuestionType, AnswerType<any>> = {
  text: new TextAnswer(), longText: new LongTextAnswer(), email: new EmailAnswer(), phone: new PhoneAnswer(),
  number: new NumberAnswer(), money: new MoneyAnswer(), date: new DateAnswer(), dateOfBirth: new DateOfBirthAnswer(),
  yesNo: new YesNoAnswer(), oneChoice: new OneChoiceAnswer(), severalChoices: new SeveralChoicesAnswer(),
  name: new NameAnswer(), address: new AddressAnswer(), nationalId: new NationalIdAnswer(), file: new FileAnswer(),
};

/** The answer type of a question; throws on a type Plaza does not know (definitions are checked on import). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the question's type decides the value's type at run time
export function answerTypeFor(question: Pick<Question, 'type'> | QuestionType): AnswerType<any> {
  const type = typeof question === 'string' ? question : question.type;
  const answerType = Object.hasOwn(ANSWER_TYPES, type) ? ANSWER_TYPES[type] : undefined;
  if (!answerType) throw new Error(`Unknown question type "${type}"`);
  return answerType;
}

export function fileAnswerType(): FileAnswer {
  return ANSWER_TYPES.file as FileAnswer;
}
