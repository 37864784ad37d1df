import type { Question } from '../definition/schema.js';
import { field, invalidError, labelled, rawString, requiredError, type AnswerContext, type AnswerType, type FormBody, type RawAnswer, type ViewOptions, type Validated } from './answer-type.js';

/** A national identity number scheme: normalises what people type and checks its check digit. */
export interface NationalIdScheme {
  id: string;
  /** The canonical form, or null when the number is not valid (wrong format or check digit). */
  normalise(input: string): string | null;
  /** How the number is shown to people. */
  format(value: string): string;
}

/** Chile's RUT/RUN: digits, a hyphen and a modulo-11 check digit (0–9 or K). */
export const chileRut: NationalIdScheme = {
  id: 'cl-rut',
  normalise(input) {
    const compact = input.replace(/[.\s-]/g, '').toUpperCase();
    if (!/^\d{1,9}[0-9K]$/.test(compact)) return null;
    const body = compact.slice(0, -1);
    const check = compact.slice(-1);
    let sum = 0;
    let factor = 2;
    for (let i = body.length - 1; i >= 0; i--) {
      sum += Number(body[i]) * factor;
      factor = factor === 7 ? 2 : factor + 1;
    }
    const remainder = 11 - (sum % 11);
    const expected = remainder === 11 ? '0' : remainder === 10 ? 'K' : String(remainder);
    return expected === check ? `${Number(body)}-${check}` : null;
  },
  format(value) {
    const [body, check] = value.split('-');
    return `${body.replace(/\B(?=(\d{3})+(?!\d))/g, '.')}-${check}`;
  },
};

/** Any number of letters and digits (no check digit), for schemes Plaza has no validator for yet. */
export const genericId: NationalIdScheme = {
  id: 'generic',
  normalise: (input) => {
    const compact = input.replace(/[\s-]/g, '').toUpperCase();
    return /^[A-Z0-9]{4,20}$/.test(compact) ? compact : null;
  },
  format: (value) => value,
};

/** A number of a fixed count of digits, forgiving spaces, dots and dashes ("12345 67890"). */
function digitsScheme(id: string, min: number, max: number): NationalIdScheme {
  return {
    id,
    normalise: (input) => {
      const compact = input.replace(/[\s.-]/g, '');
      return new RegExp(`^\\d{${min},${max}}$`).test(compact) ? compact : null;
    },
    format: (value) => value,
  };
}

/** Argentina's DNI: 7 or 8 digits, often written with dots ("30.123.456"); no check digit. */
export const argentinaDni: NationalIdScheme = { ...digitsScheme('ar-dni', 7, 8), format: (value) => value.replace(/\B(?=(\d{3})+(?!\d))/g, '.') };
/** The 10-digit voter card number of the cash transfer example. */
export const voterCard = digitsScheme('voter-card', 10, 10);

const schemes = new Map<string, NationalIdScheme>([[chileRut.id, chileRut], [genericId.id, genericId], [argentinaDni.id, argentinaDni], [voterCard.id, voterCard]]);

/** Adds a scheme (another country's check digit); names are unique. */
export function registerNationalIdScheme(scheme: NationalIdScheme): void {
  if (schemes.has(scheme.id)) throw new Error(`National id scheme ${scheme.id} is already registered`);
  schemes.set(scheme.id, scheme);
}

export function nationalIdScheme(id: string | undefined): NationalIdScheme | undefined {
  return schemes.get(id ?? 'generic');
}

export function nationalIdSchemes(): string[] { return [...schemes.keys()]; }

/** A national identity number checked by its scheme's validator. */
export class NationalIdAnswer implements AnswerType<string> {
  readonly type = 'nationalId' as const;
  read(body: FormBody, question: Question): RawAnswer { return { [question.id]: field(body, question.id).slice(0, 40) }; }
  toRaw(value: string, question: Question): RawAnswer { return { [question.id]: this.scheme(question).format(value) }; }
  isEmpty(raw: RawAnswer): boolean { return Object.values(raw).every((v) => v === ''); }
  firstFieldId(question: Question): string { return question.id; }
  exportValue(value: string): unknown { return value; }
  display(value: string, question: Question): string { return this.scheme(question).format(value); }
  parse(raw: RawAnswer, question: Question, ctx: AnswerContext): Validated<string> {
    const input = rawString(raw, question.id);
    if (input === '') return question.optional ? { ok: true, value: null } : { ok: false, error: requiredError(question, ctx, 'forms.error.enter', question.id) };
    const value = this.scheme(question).normalise(input);
    return value ? { ok: true, value } : { ok: false, error: invalidError(question, ctx, 'forms.error.nationalId', question.id) };
  }
  view(question: Question, raw: RawAnswer, ctx: AnswerContext, options: ViewOptions) {
    return { macro: 'govukInput' as const, params: { id: question.id, name: question.id, value: rawString(raw, question.id), spellcheck: false, classes: 'govuk-input--width-20', ...labelled(question, ctx, options) } };
  }
  private scheme(question: Question): NationalIdScheme {
    return nationalIdScheme(question.scheme) ?? genericId;
  }
}
