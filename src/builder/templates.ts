import type { Question, ServiceDefinition, Text } from '../forms/kernel.js';
import { addOutcome, addPage, addRoute, blankDefinition } from './edits/definition.js';
import { buildRoute } from './edits/routing.js';

/*
 * Starting points for a new service, written with the same edit operations staff use, in English and
 * Spanish. Each is small and passes the checker, so a team can publish it as soon as they have changed it.
 */

type NewQuestion = Omit<Question, 'id'> & { id: string };
const both = (en: string, es: string): Text => ({ en, es });

const fullName: NewQuestion = { id: 'full_name', type: 'name', label: both('What is your full name?', '¿Cuál es su nombre completo?') };
const email: NewQuestion = { id: 'email', type: 'email', label: both('What is your email address?', '¿Cuál es su correo electrónico?'), hint: both('We will only use this to contact you about your application.', 'Solo lo usaremos para contactarle sobre su solicitud.') };
const phone: NewQuestion = { id: 'phone', type: 'phone', label: both('What is your phone number?', '¿Cuál es su número de teléfono?'), optional: true };
const dateOfBirth: NewQuestion = { id: 'date_of_birth', type: 'dateOfBirth', label: both('What is your date of birth?', '¿Cuál es su fecha de nacimiento?'), hint: both('For example, 27 3 1985', 'Por ejemplo, 27 3 1985') };
const address: NewQuestion = { id: 'address', type: 'address', label: both('What is your address?', '¿Cuál es su dirección?'), addressFormat: 'national' };

function withPages(definition: ServiceDefinition, questions: NewQuestion[]): ServiceDefinition {
  return questions.reduce((d, question) => addPage(d, { question }).definition, definition);
}

export const TEMPLATES = {
  application: {
    build(input: { slug: string; title: Text }) {
      return withPages(blankDefinition({ ...input, languages: ['en', 'es'] }), [fullName, dateOfBirth, address, email, phone]);
    },
  },
  eligibility: {
    build(input: { slug: string; title: Text }) {
      let d = blankDefinition({ ...input, languages: ['en', 'es'] });
      const eligible = addPage(d, { question: { id: 'lives_here', type: 'yesNo', label: both('Do you live in this country?', '¿Vive en este país?') } });
      const exit = addOutcome(eligible.definition, {
        title: both('You cannot use this service', 'No puede usar este servicio'),
        body: both('This service is only for people who live in this country. Contact us to find out what you can do instead.', 'Este servicio es solo para personas que viven en este país. Contáctenos para saber qué puede hacer.'),
      });
      d = exit.definition;
      d = addRoute(d, eligible.pageId, buildRoute(d, { questionId: 'lives_here', operator: 'is', value: 'false' }, { kind: 'outcome', outcomeId: exit.outcomeId }));
      return withPages(d, [fullName, email]);
    },
  },
  changeOfAddress: {
    build(input: { slug: string; title: Text }) {
      return withPages(blankDefinition({ ...input, languages: ['en', 'es'] }), [
        fullName,
        { id: 'national_id', type: 'nationalId', label: both('What is your national identity number?', '¿Cuál es su número de identidad?'), scheme: 'cl-rut' },
        { ...address, id: 'new_address', label: both('What is your new address?', '¿Cuál es su nueva dirección?') },
        { id: 'moved_on', type: 'date', label: both('When did you move?', '¿Cuándo se mudó?'), validation: [{ rule: 'before', value: 'today', message: both('The date you moved must be in the past', 'La fecha de mudanza debe estar en el pasado') }] },
        email,
      ]);
    },
  },
} as const;

export type TemplateName = keyof typeof TEMPLATES;
export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];

export function isTemplateName(value: unknown): value is TemplateName {
  return typeof value === 'string' && Object.hasOwn(TEMPLATES, value);
}
