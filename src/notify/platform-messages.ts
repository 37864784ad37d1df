import type { TemplateInput } from './notifications.js';

/**
 * The emails Plaza itself sends: on an agency's behalf (case handling's messages to applicants) and as Plaza (the
 * runner's "save for later" link). Notify owns their words: each template is made on first use in the service
 * that sends it (`sendPlatformEmail`), in English under its name and in Spanish under `<name>-es`; the service's
 * Notify staff may reword them there. Case emails use only these placeholders: reference, service_name, status,
 * message, reason, status_link; `save-for-later` uses link, code and expires; `service-performance-alert` (to
 * a service team, from Insights) uses service_name, what, page, hour, rate, reached, baseline and link; `sign-in-code`
 * (citizen sign-in at the built-in identity provider) uses code and minutes.
 */
export const PLATFORM_EMAIL_NAMES = ['case-received', 'case-status-changed', 'case-more-information-needed', 'case-decision', 'save-for-later', 'service-performance-alert', 'sign-in-code'] as const;
export type PlatformEmailName = (typeof PLATFORM_EMAIL_NAMES)[number];

/** Emails only Plaza's own service sends (no agency's `plaza-<agency>` service is given their templates). */
const PLAZA_SERVICE_ONLY: readonly PlatformEmailName[] = ['save-for-later', 'service-performance-alert', 'sign-in-code'];

/** Languages the platform emails are written in; English is the fallback. */
export const PLATFORM_EMAIL_LANGUAGES = ['en', 'es'] as const;

type Words = { subject: string; body: string };

const WORDS: Record<PlatformEmailName, Record<(typeof PLATFORM_EMAIL_LANGUAGES)[number], Words>> = {
  'case-received': {
    en: {
      subject: 'We have received your request: ((reference))',
      body: 'We have received your request.\n\nService: ((service_name))\n\nYour reference is ((reference)). Keep it: you need it to check your request or to contact us.\n\n'
        + 'You can see where your request is at any time:\n\n((status_link))\n\nYou will need your reference and the email address or phone number you gave us.',
    },
    es: {
      subject: 'Hemos recibido su solicitud: ((reference))',
      body: 'Hemos recibido su solicitud.\n\nTrámite: ((service_name))\n\nSu número de referencia es ((reference)). Guárdelo: lo necesitará para consultar su solicitud o para contactarnos.\n\n'
        + 'Puede ver en qué estado está su solicitud en cualquier momento:\n\n((status_link))\n\nNecesitará su número de referencia y el correo electrónico o teléfono que nos dio.',
    },
  },
  'case-status-changed': {
    en: {
      subject: 'Your request ((reference)) is now: ((status))',
      body: 'Your request has moved on.\n\nService: ((service_name))\n\nIt is now: ((status))\n\nYou do not need to do anything. We will email you when we have made a decision.\n\n'
        + 'See the details:\n\n((status_link))',
    },
    es: {
      subject: 'Su solicitud ((reference)) ahora está: ((status))',
      body: 'Su solicitud ha avanzado.\n\nTrámite: ((service_name))\n\nAhora está: ((status))\n\nNo necesita hacer nada. Le escribiremos cuando hayamos tomado una decisión.\n\n'
        + 'Vea los detalles:\n\n((status_link))',
    },
  },
  'case-more-information-needed': {
    en: {
      subject: 'We need more information about your request ((reference))',
      body: 'Service: ((service_name))\n\nTo carry on with your request, we need more information from you:\n\n^ ((message))\n\n'
        + 'Answer on your request’s page:\n\n((status_link))\n\nThe time we take to decide is paused until you answer.',
    },
    es: {
      subject: 'Necesitamos más información sobre su solicitud ((reference))',
      body: 'Trámite: ((service_name))\n\nPara continuar con su solicitud, necesitamos más información de usted:\n\n^ ((message))\n\n'
        + 'Responda en la página de su solicitud:\n\n((status_link))\n\nEl plazo para decidir queda en pausa hasta que usted responda.',
    },
  },
  'case-decision': {
    en: {
      subject: 'We have made a decision on your request ((reference))',
      body: 'We have made a decision on your request.\n\nService: ((service_name))\n\nDecision: ((status))\n\nWhy:\n\n^ ((reason))\n\nSee the details:\n\n((status_link))',
    },
    es: {
      subject: 'Hemos tomado una decisión sobre su solicitud ((reference))',
      body: 'Hemos tomado una decisión sobre su solicitud.\n\nTrámite: ((service_name))\n\nDecisión: ((status))\n\nMotivo:\n\n^ ((reason))\n\nVea los detalles:\n\n((status_link))',
    },
  },
  'save-for-later': {
    en: {
      subject: 'Continue your application',
      body: 'You saved your application. To continue it, go to:\n\n((link))\n\nand enter this code: ((code))\n\nIt works until ((expires)). If you did not ask for this, you can ignore this email.',
    },
    es: {
      subject: 'Continúe su solicitud',
      body: 'Usted guardó su solicitud. Para continuarla, vaya a:\n\n((link))\n\ne ingrese este código: ((code))\n\nFunciona hasta el ((expires)). Si no lo pidió, puede ignorar este correo.',
    },
  },
  'sign-in-code': {
    en: {
      subject: 'Your sign-in code: ((code))',
      body: 'Your code to sign in is ((code)).\n\nEnter it within ((minutes)) minutes. Do not share it with anyone: we will never ask you for it.\n\nIf you did not try to sign in, you can ignore this email.',
    },
    es: {
      subject: 'Su código para ingresar: ((code))',
      body: 'Su código para ingresar es ((code)).\n\nIngréselo dentro de ((minutes)) minutos. No lo comparta con nadie: nunca se lo pediremos.\n\nSi usted no intentó ingresar, puede ignorar este correo.',
    },
  },
  'service-performance-alert': {
    en: {
      subject: '((service_name)): ((what)) jumped at page “((page))”',
      body: 'In the hour from ((hour)), ((rate)) of the ((reached)) people who reached page “((page))” had ((what)), against ((baseline)) in the week before.\n\n'
        + 'See where people get stuck:\n\n((link))',
    },
    es: {
      subject: '((service_name)): aumentaron ((what)) en la página «((page))»',
      body: 'En la hora desde ((hour)), ((rate)) de las ((reached)) personas que llegaron a la página «((page))» tuvieron ((what)), frente a ((baseline)) la semana anterior.\n\n'
        + 'Vea dónde se atasca la gente:\n\n((link))',
    },
  },
};

/** The template's name in a language: `case-decision` in English, `case-decision-es` in Spanish; other languages get English. */
export function platformTemplateName(name: PlatformEmailName, language: string | undefined): string {
  return language && language !== 'en' && (PLATFORM_EMAIL_LANGUAGES as readonly string[]).includes(language) ? `${name}-${language}` : name;
}

/** The platform email templates a service sends, in every language, as Notify templates: an agency's, or Plaza's own (all). */
export function platformEmailTemplates(sender: 'agency' | 'plaza' = 'agency'): TemplateInput[] {
  const names = sender === 'plaza' ? PLATFORM_EMAIL_NAMES : PLATFORM_EMAIL_NAMES.filter((name) => !PLAZA_SERVICE_ONLY.includes(name));
  return names.flatMap((name) => PLATFORM_EMAIL_LANGUAGES.map((language) => ({
    type: 'email' as const, name: platformTemplateName(name, language), subject: WORDS[name][language].subject, body: WORDS[name][language].body,
  })));
}

/** The text messages Plaza itself sends, from Plaza's own service: `sign-in-code` (code, minutes). */
export const PLATFORM_SMS_NAMES = ['sign-in-code'] as const;
export type PlatformSmsName = (typeof PLATFORM_SMS_NAMES)[number];

const SMS_WORDS: Record<PlatformSmsName, Record<(typeof PLATFORM_EMAIL_LANGUAGES)[number], string>> = {
  'sign-in-code': {
    en: '((code)) is your code to sign in. It works for ((minutes)) minutes. Do not share it: we will never ask you for it.',
    es: '((code)) es su código para ingresar. Funciona durante ((minutes)) minutos. No lo comparta: nunca se lo pediremos.',
  },
};

/** One of Plaza's own text messages as a Notify template, in a language (English for any other). */
export function platformSmsTemplate(name: PlatformSmsName, language: string | undefined): TemplateInput {
  const lang = (PLATFORM_EMAIL_LANGUAGES as readonly string[]).includes(language ?? '') ? language as (typeof PLATFORM_EMAIL_LANGUAGES)[number] : 'en';
  return { type: 'sms', name: platformTemplateName(name as never, lang), body: SMS_WORDS[name][lang] };
}
