/**
 * Journeys through every example service, covering every route and outcome: used by the HTTP tests and
 * the browser tests (with and without JavaScript, in English and Spanish).
 */
export interface Step {
  /** The page the step is on (path after /apply/<slug>/). */
  path: string;
  fields: Record<string, string | string[]>;
  /** A file to upload with the step. */
  file?: { field: string; name: string };
}

export interface Scenario {
  name: string;
  slug: string;
  steps: Step[];
  /** How it ends: an outcome screen, or check answers → (declaration) → confirmation. */
  end: { outcome: string } | { submit: true; declaration?: 'agree' | 'plain' };
}

const year = new Date().getUTCFullYear();

export const SCENARIOS: Scenario[] = [
  {
    name: 'COVID-19: severe symptoms', slug: 'covid-19-self-assessment',
    steps: [{ path: 'page/severe-symptoms', fields: { severe_symptoms: ['breathing', 'chest-pain'] } }],
    end: { outcome: 'call-emergency' },
  },
  {
    name: 'COVID-19: symptoms, 70 or older', slug: 'covid-19-self-assessment',
    steps: [
      { path: 'page/severe-symptoms', fields: { severe_symptoms: ['none'] } },
      { path: 'page/symptoms', fields: { symptoms: ['fever', 'cough'] } },
      { path: 'page/age', fields: { age_band: '70-plus' } },
      { path: 'page/close-contact', fields: { close_contact: 'no' } },
      { path: 'page/travel', fields: { travelled: 'no' } },
    ],
    end: { outcome: 'get-tested-high-risk' },
  },
  {
    name: 'COVID-19: symptoms', slug: 'covid-19-self-assessment',
    steps: [
      { path: 'page/severe-symptoms', fields: { severe_symptoms: ['none'] } },
      { path: 'page/symptoms', fields: { symptoms: ['taste-smell'] } },
      { path: 'page/age', fields: { age_band: '18-69' } },
      { path: 'page/close-contact', fields: { close_contact: 'yes' } },
      { path: 'page/travel', fields: { travelled: 'no' } },
    ],
    end: { outcome: 'get-tested' },
  },
  {
    name: 'COVID-19: exposed, no symptoms', slug: 'covid-19-self-assessment',
    steps: [
      { path: 'page/severe-symptoms', fields: { severe_symptoms: ['none'] } },
      { path: 'page/symptoms', fields: { symptoms: ['none'] } },
      { path: 'page/age', fields: { age_band: 'under-18' } },
      { path: 'page/close-contact', fields: { close_contact: 'no' } },
      { path: 'page/travel', fields: { travelled: 'yes' } },
    ],
    end: { outcome: 'self-isolate' },
  },
  {
    name: 'COVID-19: nothing to do', slug: 'covid-19-self-assessment',
    steps: [
      { path: 'page/severe-symptoms', fields: { severe_symptoms: ['none'] } },
      { path: 'page/symptoms', fields: { symptoms: ['none'] } },
      { path: 'page/age', fields: { age_band: '18-69' } },
      { path: 'page/close-contact', fields: { close_contact: 'no' } },
      { path: 'page/travel', fields: { travelled: 'no' } },
    ],
    end: { outcome: 'no-symptoms' },
  },
  {
    name: 'Disability certificate: already has one', slug: 'disability-certificate',
    steps: [
      { path: 'page/who', fields: { applying_for: 'myself' } },
      { path: 'page/already-has', fields: { has_certificate: 'yes' } },
    ],
    end: { outcome: 'renewal' },
  },
  {
    name: 'Disability certificate: child with a visual disability', slug: 'disability-certificate',
    steps: [
      { path: 'page/who', fields: { applying_for: 'someone-else' } },
      { path: 'page/already-has', fields: { has_certificate: 'no' } },
      { path: 'page/date-of-birth', fields: { 'date_of_birth-day': '12', 'date_of_birth-month': '5', 'date_of_birth-year': String(year - 9) } },
      { path: 'page/disability-type', fields: { disability_type: 'visual' } },
      { path: 'page/requirements-child', fields: {} },
      { path: 'page/requirements-visual', fields: {} },
      { path: 'page/person-name', fields: { 'person_name-given': 'Martina', 'person_name-family': 'Gómez' } },
      { path: 'page/national-id', fields: { dni: '52123456' } },
      { path: 'page/medical-summary', fields: {}, file: { field: 'medical_summary', name: 'resumen.pdf' } },
      { path: 'page/province', fields: { province: 'cordoba' } },
      { path: 'page/contact', fields: { email: 'familia.gomez@example.com', phone: '+54 9 351 412 3456' } },
    ],
    end: { submit: true, declaration: 'plain' },
  },
  {
    name: 'Disability certificate: adult with a hearing disability', slug: 'disability-certificate',
    steps: [
      { path: 'page/who', fields: { applying_for: 'myself' } },
      { path: 'page/already-has', fields: { has_certificate: 'no' } },
      { path: 'page/date-of-birth', fields: { 'date_of_birth-day': '3', 'date_of_birth-month': '11', 'date_of_birth-year': '1970' } },
      { path: 'page/disability-type', fields: { disability_type: 'hearing' } },
      { path: 'page/requirements-adult', fields: {} },
      { path: 'page/requirements-hearing', fields: {} },
      { path: 'page/person-name', fields: { 'person_name-given': 'Jorge', 'person_name-family': 'Pereyra' } },
      { path: 'page/national-id', fields: { dni: '20111222' } },
      { path: 'page/medical-summary', fields: {} },
      { path: 'page/province', fields: { province: 'tierra-del-fuego' } },
      { path: 'page/contact', fields: { email: 'jorge@example.com', phone: '+54 9 2901 55 1234' } },
    ],
    end: { submit: true, declaration: 'plain' },
  },
  {
    name: 'Cash transfer enrolment', slug: 'cash-transfer-enrolment',
    steps: [
      // Issue 18 item 4: written with a space, as printed on the card.
      { path: 'page/voter-card', fields: { voter_card_number: '01234 56789' } },
      { path: 'page/security-code', fields: { security_code: 'K7M2Q9' } },
      { path: 'page/surname', fields: { surname: 'Mensah' } },
      { path: 'page/contact', fields: { phone: '9 6123 4567', email: '' } },
    ],
    end: { submit: true },
  },
  {
    name: 'Tell us once: change of address', slug: 'tell-us-once-change-of-address',
    steps: [
      { path: 'page/run', fields: { run: '12.345.678-5' } },
      // The current address comes from the register of addresses (prefill); the person keeps it.
      { path: 'page/old-address', fields: { 'old_address-line1': 'Avenida Libertador 1450', 'old_address-line2': 'Depto 32', 'old_address-town': 'Santiago', 'old_address-postcode': '8320000' } },
      { path: 'page/new-address', fields: { 'new_address-line1': 'Pasaje Las Lilas 45', 'new_address-town': 'Temuco', 'new_address-postcode': '4780000' } },
      { path: 'page/move-date', fields: { 'move_date-day': '1', 'move_date-month': '4', 'move_date-year': String(year) } },
      { path: 'page/organisations', fields: { organisations: ['tax', 'health-insurance', 'electoral'] } },
      { path: 'page/email', fields: { email: 'persona@example.cl' } },
    ],
    end: { submit: true, declaration: 'agree' },
  },
  {
    name: 'Tell us once: nobody to tell', slug: 'tell-us-once-change-of-address',
    steps: [
      { path: 'page/run', fields: { run: '11111111-1' } },
      { path: 'page/old-address', fields: { 'old_address-line1': '14 River Road', 'old_address-town': 'Riverside', 'old_address-postcode': 'RV1 2AB' } },
      { path: 'page/new-address', fields: { 'new_address-line1': '2 Hill Street', 'new_address-town': 'Riverside', 'new_address-postcode': 'RV2 3CD' } },
      { path: 'page/move-date', fields: { 'move_date-day': '15', 'move_date-month': '1', 'move_date-year': String(year) } },
      { path: 'page/organisations', fields: { organisations: ['none'] } },
    ],
    end: { outcome: 'nothing-to-tell' },
  },
  {
    name: 'Housing support: with a household member and proof of income', slug: 'housing-support-application',
    steps: HOUSING_STEPS(true),
    end: { submit: true, declaration: 'agree' },
  },
  {
    name: 'Housing support: living alone', slug: 'housing-support-application',
    steps: HOUSING_STEPS(false),
    end: { submit: true, declaration: 'agree' },
  },
];

/** Service (5): the benchmark's journey too. */
export function HOUSING_STEPS(withMember: boolean): Step[] {
  return [
    { path: 'page/full-name', fields: { 'full_name-given': 'Ana María', 'full_name-family': 'Rojas' } },
    { path: 'page/date-of-birth', fields: { 'date_of_birth-day': '27', 'date_of_birth-month': '3', 'date_of_birth-year': '1985' } },
    { path: 'page/contact', fields: { email: 'ana@example.com', phone: '+56 9 6123 4567' } },
    { path: 'page/address', fields: { 'home_address-line1': '14 River Road', 'home_address-town': 'Riverside', 'home_address-postcode': 'RV1 2AB' } },
    ...(withMember
      ? [
        { path: 'page/household', fields: { 'add-another': 'yes' } },
        { path: 'page/household', fields: { member_name: 'Tomás Rojas', relationship: 'child', has_income: 'yes', monthly_income: '150000' } },
        { path: 'page/household', fields: { 'add-another': 'no' } },
      ]
      : [{ path: 'page/household', fields: { 'add-another': 'no' } }]),
    { path: 'page/income-proof', fields: {}, file: { field: 'income_proof', name: 'payslip.pdf' } },
  ];
}
