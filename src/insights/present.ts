import type { Translate } from '../platform/http/i18n.js';
import { funnelChart, journeysChart, satisfactionChart, type Chart } from './charts.js';
import type { Share } from './kpis.js';
import { END_PAGES, type FunnelStep, type Kpis, type ServiceReport } from './report.js';
import { numberFormat } from '../platform/intl.js';

/** A KPI as a page shows it: a figure, or "no data", and the counts behind it. */
export interface KpiView { key: string; label: string; value: string | null; detail: string }

export function formatShare(value: Share, signed = false): string | null {
  if (value === null) return null;
  const pct = Math.round(value * 100);
  return `${signed && pct > 0 ? '+' : ''}${pct}%`;
}

function formatNumber(value: number, lang: string, digits = 0): string {
  return numberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}

/** Seconds as "45 s" or "2 min 10 s". */
export function formatDuration(seconds: number | null): string | null {
  if (seconds === null) return null;
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** "74 of 191 completions were online (39%); 117 on other channels", with the numbers written as the language writes them. */
function takeUpDetail(kpis: Kpis, t: Translate, lang: string): string {
  if (kpis.digitalTakeUp === null) return t('insights.kpi.takeUpNone');
  // Entered volumes are spread over days, so they have fractions: round the whole, and the parts add up to it.
  const all = Math.round(kpis.allChannelsCompleted);
  const online = Math.round(kpis.onlineCompleted);
  return t('insights.kpi.takeUpDetail', {
    online: formatNumber(online, lang), all: formatNumber(all, lang), other: formatNumber(all - online, lang),
    share: numberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(kpis.digitalTakeUp),
  });
}

/** An amount in the platform's currency (PLAZA_CURRENCY), as the language writes money: "CLP 4,361", "$4.361". */
export function formatMoney(value: number, lang: string, currency: string): string {
  return numberFormat(lang, { style: 'currency', currency }).format(value);
}

export function kpiViews(kpis: Kpis, t: Translate, lang: string, currency: string): KpiView[] {
  const n = (v: number) => formatNumber(v, lang);
  return [
    { key: 'completion', label: t('insights.kpi.completionRate'), value: formatShare(kpis.completionRate), detail: t('insights.kpi.completionDetail', { completed: n(kpis.completed - kpis.offlineCompleted), started: n(kpis.started) }) },
    { key: 'takeUp', label: t('insights.kpi.digitalTakeUp'), value: formatShare(kpis.digitalTakeUp), detail: takeUpDetail(kpis, t, lang) },
    { key: 'satisfaction', label: t('insights.kpi.satisfaction'), value: formatShare(kpis.satisfaction.net, true), detail: t('insights.kpi.satisfactionDetail', { satisfied: n(kpis.satisfaction.satisfied), dissatisfied: n(kpis.satisfaction.dissatisfied), responses: n(kpis.satisfaction.responses) }) },
    { key: 'cost', label: t('insights.kpi.costPerTransaction'), value: kpis.costPerTransaction === null ? null : formatMoney(kpis.costPerTransaction, lang, currency), detail: kpis.totalCost === null ? t('insights.kpi.costUnknown') : t('insights.kpi.costDetail', { cost: formatMoney(kpis.totalCost, lang, currency), completed: n(kpis.completed) }) },
  ];
}

/** A translation, or `fallback` when the locale files have none for `key`. */
function translated(t: Translate, key: string, fallback: string): string {
  const text = t(key);
  return text === key ? fallback : text;
}

/** A funnel page as people know it: the runner's own page names, the page's title, or its one question, in the reader's language. */
export function pageLabel(step: Pick<FunnelStep, 'page' | 'questions' | 'title'>, t: Translate, lang: string): string {
  if ((END_PAGES as readonly string[]).includes(step.page)) return t(`insights.page.${step.page}`);
  const title = step.title?.[lang] ?? step.title?.en;
  if (title) return title;
  const [only, ...others] = step.questions;
  return only && others.length === 0 ? questionText(step, only.id, t, lang) : step.page;
}

/** A question's label in the reader's language (its id only when the definition does not know it). */
export function questionText(step: Pick<FunnelStep, 'questions'>, questionId: string, t: Translate, lang: string): string {
  if (questionId === '') return t('insights.page.wholePage');
  if (questionId === 'add-another') return t('insights.page.addAnother');
  const question = step.questions.find((q) => q.id === questionId);
  return question?.labels?.[lang] ?? question?.label ?? questionId;
}

/** What a validation rule means, in words ("not answered"), rather than its name in the definition. */
export function ruleText(rule: string, t: Translate): string {
  return rule ? translated(t, `insights.rule.${rule}`, rule) : t('insights.rule.none');
}

/** The funnel and stuck points with pages, questions and errors named for people, in their language. */
export function funnelViews(report: ServiceReport, t: Translate, lang: string) {
  return {
    funnel: report.funnel.map((s) => ({
      ...s, label: pageLabel(s, t, lang), median: formatDuration(s.medianSeconds),
      errors: s.errorsByRule.map((e) => ({ question: questionText(s, e.question, t, lang), rule: ruleText(e.rule, t), errors: e.errors })),
    })),
    stuck: report.stuck.map((p) => {
      const step = report.funnel.find((s) => s.page === p.page)!;
      return { ...p, pageLabel: pageLabel(step, t, lang), questionLabel: questionText(step, p.question, t, lang), topError: p.topError ? { ...p.topError, rule: ruleText(p.topError.rule, t) } : null };
    }),
  };
}

const RATING_KEYS = ['veryDissatisfied', 'dissatisfied', 'neutral', 'satisfied', 'verySatisfied'];

/** The charts of a service report; ids are unique on the page via `prefix`. */
export async function reportCharts(report: ServiceReport, t: Translate, prefix = 'chart', lang = 'en'): Promise<{ journeys: Chart; funnel: Chart; satisfaction: Chart }> {
  const label = (start: string) => (report.period.granularity === 'month' ? start.slice(0, 7) : start);
  return {
    journeys: await journeysChart(`${prefix}-journeys`, report.series.map((p) => ({ label: label(p.start), started: p.kpis.started, completed: Math.round(p.kpis.completed) })), {
      title: t('insights.chart.journeysTitle'), started: t('insights.chart.started'), completed: t('insights.chart.completed'), period: t(`insights.granularity.${report.period.granularity}`),
      startedKey: t('insights.chart.startedKey'), completedKey: t('insights.chart.completedKey'),
    }),
    funnel: await funnelChart(`${prefix}-funnel`, report.funnel.map((s) => ({ page: pageLabel(s, t, lang), reached: s.reached, left: s.left })), {
      title: t('insights.chart.funnelTitle'), page: t('insights.funnel.page'), reached: t('insights.funnel.reached'), left: t('insights.funnel.left'),
    }),
    satisfaction: await satisfactionChart(`${prefix}-satisfaction`, report.ratings.map((responses, i) => ({ label: t(`insights.rating.${RATING_KEYS[i]}`), responses })), {
      title: t('insights.chart.satisfactionTitle'), answer: t('insights.chart.answer'), responses: t('insights.chart.responses'),
    }),
  };
}

export function ratingLabel(rating: number, t: Translate): string {
  return t(`insights.rating.${RATING_KEYS[rating - 1]}`);
}

/** The four KPIs per day, week or month, as table rows (null figures are the template's "No data"). */
export function seriesRows(report: ServiceReport, lang: string, currency: string) {
  return report.series.map((p) => ({
    label: report.period.granularity === 'month' ? p.start.slice(0, 7) : p.start,
    started: formatNumber(p.kpis.started, lang),
    completed: formatNumber(Math.round(p.kpis.completed), lang),
    cells: [
      formatShare(p.kpis.completionRate), formatShare(p.kpis.digitalTakeUp), formatShare(p.kpis.satisfaction.net, true),
      p.kpis.costPerTransaction === null ? null : formatMoney(p.kpis.costPerTransaction, lang, currency),
    ],
  }));
}
