import type { Question } from '../definition/schema.js';
import {
  field, fieldsetted, rawString, requiredError, invalidError,
  type AnswerContext, type AnswerType, type ComponentView, type FormBody, type RawAnswer, type ViewOptions, type Validated,
} from './answer-type.js';

interface Part { name: string; labelKey: string; optional?: boolean; autocomplete: string; width?: string; maxLength: number; textarea?: boolean }

/** Answers made of several labelled inputs in one fieldset (name, address). */
abstract class CompositeAnswer<V extends Record<string, string>> implements AnswerType<V> {
  abstract readonly type: Question['type'];
  protected abstract parts(question: Question): Part[];
  protected abstract missingKey: string;
  abstract display(value: V, question: Question, ctx: AnswerContext): string;

  read(body: FormBody, question: Question): RawAnswer {
    return Object.fromEntries(this.parts(question).map((p) => [`${question.id}-${p.name}`, field(body, `${question.id}-${p.name}`)]));
  }
  toRaw(value: V, question: Question): RawAnswer {
    return Object.fromEntries(this.parts(question).map((p) => [`${question.id}-${p.name}`, value[p.name] ?? '']));
  }
  isEmpty(raw: RawAnswer): boolean { return Object.values(raw).every((v) => v === ''); }
  firstFieldId(question: Question): string { return `${question.id}-${this.parts(question)[0].name}`; }
  exportValue(value: V): unknown { return value; }

  parse(raw: RawAnswer, question: Question, ctx: AnswerContext): Validated<V> {
    const parts = this.parts(question);
    if (this.isEmpty(raw)) return question.optional ? { ok: true, value: null } : { ok: false, error: requiredError(question, ctx, this.missingKey, this.firstFieldId(question)) };
    const value: Record<string, string> = {};
    for (const part of parts) {
      const input = rawString(raw, `${question.id}-${part.name}`);
      const fieldId = `${question.id}-${part.name}`;
      if (input === '' && !part.optional) return { ok: false, error: { rule: 'required', field: fieldId, message: ctx.t(`${part.labelKey}.missing`) } };
      if (input.length > part.maxLength) return { ok: false, error: invalidError(question, ctx, 'forms.error.tooLong', fieldId, { max: part.maxLength }) };
      if (input !== '') value[part.name] = input;
    }
    return this.check(value as V, question, ctx);
  }

  protected check(value: V, _question: Question, _ctx: AnswerContext): Validated<V> { return { ok: true, value }; }

  view(question: Question, raw: RawAnswer, ctx: AnswerContext, options: ViewOptions): ComponentView {
    const fieldset = fieldsetted(question, ctx, options);
    return {
      macro: 'govukFieldset', params: { legend: fieldset.fieldset.legend, hint: fieldset.hint, errorMessage: fieldset.errorMessage, id: question.id },
      children: this.parts(question).map((part) => {
        const id = `${question.id}-${part.name}`;
        const params = {
          id, name: id, value: rawString(raw, id), autocomplete: part.autocomplete,
          label: { text: ctx.t(part.labelKey) + (part.optional ? ` ${ctx.t('forms.optional')}` : '') },
          errorMessage: options.error?.field === id ? { text: options.error.message } : undefined,
          classes: part.width,
        };
        return part.textarea ? { macro: 'govukTextarea' as const, params: { ...params, rows: 4 } } : { macro: 'govukInput' as const, params };
      }),
    };
  }
}

/** A person's name as given names and family name(s). */
export class NameAnswer extends CompositeAnswer<{ given: string; family: string }> {
  readonly type = 'name' as const;
  protected missingKey = 'forms.error.name';
  protected parts(): Part[] {
    return [
      { name: 'given', labelKey: 'forms.name.given', autocomplete: 'given-name', maxLength: 200 },
      { name: 'family', labelKey: 'forms.name.family', autocomplete: 'family-name', maxLength: 200 },
    ];
  }
  override display(value: { given: string; family: string }): string { return `${value.given} ${value.family}`; }
}

type Address = Record<string, string>;

/** A postal address: national format (lines, town, postcode) or international free form with a country. */
export class AddressAnswer extends CompositeAnswer<Address> {
  readonly type = 'address' as const;
  protected missingKey = 'forms.error.address';
  protected parts(question: Question): Part[] {
    if (question.addressFormat === 'international') {
      return [
        { name: 'lines', labelKey: 'forms.address.lines', autocomplete: 'street-address', maxLength: 1000, textarea: true },
        { name: 'country', labelKey: 'forms.address.country', autocomplete: 'country-name', maxLength: 100, width: 'govuk-!-width-two-thirds' },
      ];
    }
    return [
      { name: 'line1', labelKey: 'forms.address.line1', autocomplete: 'address-line1', maxLength: 200 },
      { name: 'line2', labelKey: 'forms.address.line2', autocomplete: 'address-line2', maxLength: 200, optional: true },
      { name: 'town', labelKey: 'forms.address.town', autocomplete: 'address-level2', maxLength: 100, width: 'govuk-!-width-two-thirds' },
      { name: 'postcode', labelKey: 'forms.address.postcode', autocomplete: 'postal-code', maxLength: 12, width: 'govuk-input--width-10' },
    ];
  }
  protected override check(value: Address, question: Question, ctx: AnswerContext): Validated<Address> {
    if (value.postcode !== undefined) {
      const postcode = value.postcode.toUpperCase().replace(/\s+/g, ' ');
      if (!/^[A-Z0-9][A-Z0-9 -]{1,10}$/.test(postcode)) return { ok: false, error: invalidError(question, ctx, 'forms.error.postcode', `${question.id}-postcode`) };
      return { ok: true, value: { ...value, postcode } };
    }
    return { ok: true, value };
  }
  override display(value: Address, question: Question): string {
    return this.parts(question).map((p) => value[p.name]).filter(Boolean).join('\n');
  }
}

