import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  completionRate, costPerTransaction, digitalTakeUp, durationBucket, medianFromHistogram, monthlyFigureInRange, satisfaction, splitIntoMonths,
} from '../../src/insights/kpis.js';
import { buckets, buildFunnel, computeKpis, rankStuckPoints, type ServiceReport } from '../../src/insights/report.js';
import { funnelViews, kpiViews } from '../../src/insights/present.js';
import { loadMessages, translator } from '../../src/platform/http/i18n.js';

describe('the four KPIs, against figures worked out by hand', () => {
  test('completion rate: 45 completed of 60 started is 75%; nothing started is no data', () => {
    assert.equal(completionRate(60, 45), 0.75);
    assert.equal(completionRate(0, 0), null);
    assert.equal(completionRate(0, 3), null);
  });

  test('digital take-up: 300 online and 100 by phone and in person is 75%; no completions is no data', () => {
    assert.equal(digitalTakeUp(300, 100), 0.75);
    assert.equal(digitalTakeUp(0, 40), 0);
    assert.equal(digitalTakeUp(0, 0), null);
  });

  test('net satisfaction (Chile): 2 very dissatisfied, 1 dissatisfied, 2 neutral, 3 satisfied, 4 very satisfied', () => {
    const s = satisfaction([2, 1, 2, 3, 4]);
    assert.equal(s.responses, 12);
    assert.equal(s.satisfied, 7);
    assert.equal(s.dissatisfied, 3);
    assert.equal(s.net, 4 / 12);
    assert.equal(s.satisfiedShare, 7 / 12);
    const none = satisfaction([0, 0, 0, 0, 0]);
    assert.equal(none.net, null);
    assert.equal(none.satisfiedShare, null);
    assert.equal(satisfaction([5, 0, 0, 0, 0]).net, -1);
  });

  test('cost per transaction: 12,000 over 400 is 30; unknown cost or no transactions is no data', () => {
    assert.equal(costPerTransaction(12000, 400), 30);
    assert.equal(costPerTransaction(null, 400), null);
    assert.equal(costPerTransaction(12000, 0), null);
  });

  test('a monthly figure counts for the days of the month inside the period', () => {
    assert.equal(monthlyFigureInRange('2026-04-01', 300, '2026-04-01', '2026-05-01'), 300);
    assert.equal(monthlyFigureInRange('2026-04-01', 300, '2026-04-11', '2026-04-21'), 100);
    assert.equal(monthlyFigureInRange('2026-04-01', 300, '2026-05-01', '2026-06-01'), 0);
    assert.equal(monthlyFigureInRange('2026-02-01', 280, '2026-01-01', '2026-12-31'), 280);
  });
});

describe('computeKpis on rollup rows', () => {
  const day = (d: string, channel: string, started: number, completed: number) =>
    ({ day: d, channel, started, completed, abandoned: 0, savedForLater: 0, pageViews: 0, validationErrors: 0 });
  const daily = [day('2026-04-01', 'online', 40, 30), day('2026-04-02', 'online', 20, 15), day('2026-04-02', 'phone', 10, 5)];
  const offline = [{ service: 's', month: '2026-04-01', channel: 'in_person', value: 300 }];
  const costs = [
    { service: 's', month: '2026-04-01', channel: 'online', value: 600 },
    { service: 's', month: '2026-04-01', channel: 'in_person', value: 3000 },
  ];

  test('all channels, the whole of April: offline volumes and costs included', () => {
    const k = computeKpis({ daily, offline, costs, ratings: [0, 0, 1, 1, 2], from: '2026-04-01', to: '2026-05-01' });
    assert.equal(k.started, 70);
    assert.equal(k.completed, 50 + 300);
    assert.equal(k.completionRate, 50 / 70);
    assert.equal(k.onlineCompleted, 45);
    assert.equal(k.offlineCompleted, 300);
    assert.equal(k.digitalTakeUp, 45 / 350);
    assert.equal(k.totalCost, 3600);
    assert.equal(k.costPerTransaction, 3600 / 350);
    assert.equal(k.satisfaction.net, 3 / 4);
  });

  test('one channel: only its journeys and cost; take-up still compares every channel', () => {
    const k = computeKpis({ daily, offline, costs, ratings: [0, 0, 0, 0, 0], from: '2026-04-01', to: '2026-05-01', channel: 'online' });
    assert.equal(k.started, 60);
    assert.equal(k.completed, 45);
    assert.equal(k.completionRate, 0.75);
    assert.equal(k.costPerTransaction, 600 / 45);
    assert.equal(k.digitalTakeUp, 45 / 350);
  });

  test('an empty period is no data everywhere, never a division by zero', () => {
    const k = computeKpis({ daily, offline: [], costs: [], ratings: [0, 0, 0, 0, 0], from: '2026-06-01', to: '2026-06-08' });
    assert.deepEqual([k.started, k.completed, k.completionRate, k.digitalTakeUp, k.satisfaction.net, k.totalCost, k.costPerTransaction],
      [0, 0, null, null, null, null, null]);
  });

  test('an offline-only period has take-up 0% and a cost per transaction, but no completion rate', () => {
    const k = computeKpis({ daily: [], offline, costs, ratings: [0, 0, 0, 0, 0], from: '2026-04-01', to: '2026-05-01' });
    assert.equal(k.completionRate, null);
    assert.equal(k.digitalTakeUp, 0);
    assert.equal(k.costPerTransaction, 3600 / 300);
  });
});

describe('periods', () => {
  test('weeks start on Monday and are clipped to the period', () => {
    assert.deepEqual(buckets({ from: '2026-04-01', to: '2026-04-15', granularity: 'week' }).map((b) => [b.start, b.from, b.to]), [
      ['2026-03-30', '2026-04-01', '2026-04-06'], ['2026-04-06', '2026-04-06', '2026-04-13'], ['2026-04-13', '2026-04-13', '2026-04-15'],
    ]);
    assert.equal(buckets({ from: '2026-01-15', to: '2026-03-02', granularity: 'month' }).length, 3);
    assert.equal(buckets({ from: '2026-04-01', to: '2026-04-08', granularity: 'day' }).length, 7);
  });
});

describe('time on page', () => {
  test('buckets double in width; the median interpolates inside its bucket', () => {
    assert.deepEqual([0.2, 1, 1.9, 2, 3, 60, 1e9].map(durationBucket), [0, 1, 1, 2, 2, 6, 15]);
    assert.equal(medianFromHistogram([]), null);
    assert.equal(medianFromHistogram([0, 0, 4]), 3); // all four in [2,4): half-way is 3
    assert.equal(medianFromHistogram([0, 2, 0, 2]), 2); // the median is at the top of [1,2)
  });
});

describe('the KPIs as people read them', () => {
  test('take-up says how many of all completions were online, and how many on other channels, in each language\'s numbers', () => {
    const daily = [
      { day: '2026-04-10', channel: 'online', started: 1500, completed: 1074, abandoned: 0, savedForLater: 0, pageViews: 0, validationErrors: 0 },
      { day: '2026-04-10', channel: 'phone', started: 30, completed: 22, abandoned: 0, savedForLater: 0, pageViews: 0, validationErrors: 0 },
    ];
    const kpis = computeKpis({ daily, offline: [{ service: 's', month: '2026-04-01', channel: 'in_person', value: 1095 }], costs: [], ratings: [0, 0, 0, 0, 0], from: '2026-04-01', to: '2026-05-01' });
    const detail = (lang: string) => kpiViews(kpis, translator(loadMessages(['en', 'es']), lang, 'en'), lang, 'CLP').find((k) => k.key === 'takeUp')!.detail;
    assert.equal(detail('en'), '1,074 of 2,191 completions were online (49%); 1,117 on other channels');
    assert.equal(detail('es'), '1.074 de 2.191 trámites finalizados fueron en línea (49%); 1.117 en otros canales');
  });

  test('cost per transaction shows its currency (PLAZA_CURRENCY), written as each language writes money', () => {
    const daily = [{ day: '2026-04-10', channel: 'online', started: 500, completed: 400, abandoned: 0, savedForLater: 0, pageViews: 0, validationErrors: 0 }];
    const kpis = computeKpis({ daily, offline: [], costs: [{ service: 's', month: '2026-04-01', channel: 'online', value: 1_744_000 }], ratings: [0, 0, 0, 0, 0], from: '2026-04-01', to: '2026-05-01' });
    const cost = (lang: string, currency: string) => kpiViews(kpis, translator(loadMessages(['en', 'es']), lang, 'en'), lang, currency).find((k) => k.key === 'cost')!;
    const plain = (v: string | null) => v?.replace(/\u00a0/g, ' ');
    assert.equal(plain(cost('en', 'CLP').value), 'CLP 4,360');
    assert.equal(plain(cost('es', 'CLP').value), '$4.360');
    assert.equal(plain(cost('en', 'USD').value), 'US$4,360.00');
    assert.match(cost('es', 'CLP').detail, /^\$1\.744\.000 /);
  });
});

describe('funnel and where people get stuck', () => {
  const pages = [
    { page: 'income', reached: 80, completed: 60, left: 20, validationErrors: 35, backs: 0 },
    { page: 'name', reached: 100, completed: 95, left: 5, validationErrors: 40, backs: 0 },
    { page: 'check', reached: 60, completed: 60, left: 0, validationErrors: 0, backs: 2 },
  ];
  const errors = [
    { page: 'name', question: 'full_name', rule: 'required', errors: 40 },
    { page: 'income', question: 'monthly_income', rule: 'max', errors: 30 },
    { page: 'income', question: 'monthly_income', rule: 'required', errors: 5 },
  ];
  const outline = [
    { id: 'name', questions: [{ id: 'full_name', label: 'Your full name' }] },
    { id: 'income', questions: [{ id: 'monthly_income', label: 'Monthly income' }] },
  ];

  test('pages follow the definition, then by people reached; drop-off and error rate are shares of those reached', () => {
    const funnel = buildFunnel(pages, errors, new Map([['name', [0, 0, 2]]]), outline);
    assert.deepEqual(funnel.map((s) => s.page), ['name', 'income', 'check']);
    assert.equal(funnel[1].dropOff, 0.25);
    assert.equal(funnel[0].errorRate, 0.4);
    assert.equal(funnel[0].medianSeconds, 3);
    assert.equal(funnel[2].medianSeconds, null);
  });

  test('the runner\'s own pages close the funnel in journey order: check answers, declaration, then confirmation', () => {
    const withEnd = [
      ...pages,
      { page: 'confirmation', reached: 55, completed: 0, left: 0, validationErrors: 0, backs: 0 },
      { page: 'check-answers', reached: 58, completed: 0, left: 0, validationErrors: 0, backs: 0 },
      { page: 'declaration', reached: 57, completed: 0, left: 0, validationErrors: 0, backs: 0 },
    ];
    assert.deepEqual(buildFunnel(withEnd, [], new Map(), outline).map((s) => s.page), ['name', 'income', 'check', 'check-answers', 'declaration', 'confirmation']);
  });

  test('pages, questions and errors are named for people in their language, not by internal ids', () => {
    const bilingual = [{ id: 'dob', questions: [{ id: 'date_of_birth', label: 'What is your date of birth?', labels: { en: 'What is your date of birth?', es: '¿Cuál es su fecha de nacimiento?' } }] }];
    const report = {
      funnel: buildFunnel([{ page: 'dob', reached: 10, completed: 8, left: 2, validationErrors: 3, backs: 0 }, { page: 'check-answers', reached: 8, completed: 0, left: 0, validationErrors: 0, backs: 0 }],
        [{ page: 'dob', question: 'date_of_birth', rule: 'pattern', errors: 3 }], new Map(), bilingual),
    } as ServiceReport;
    report.stuck = rankStuckPoints(report.funnel);
    const es = funnelViews(report, translator(loadMessages(['en', 'es']), 'es', 'en'), 'es');
    assert.deepEqual(es.funnel.map((s) => s.label), ['¿Cuál es su fecha de nacimiento?', 'Revise sus respuestas']);
    assert.deepEqual(es.funnel[0].errors, [{ question: '¿Cuál es su fecha de nacimiento?', rule: 'no sigue el patrón pedido', errors: 3 }]);
    assert.equal(es.stuck[0].questionLabel, '¿Cuál es su fecha de nacimiento?');
    const en = funnelViews(report, translator(loadMessages(['en', 'es']), 'en', 'en'), 'en');
    assert.deepEqual(en.funnel[0].errors, [{ question: 'What is your date of birth?', rule: 'not in the pattern asked for', errors: 3 }]);
    assert.equal(en.stuck[0].topError?.rule, 'not in the pattern asked for');
  });

  test('the question most people left at comes first, named with its most frequent error', () => {
    const stuck = rankStuckPoints(buildFunnel(pages, errors, new Map(), outline));
    assert.deepEqual(stuck.map((s) => [s.question, s.questionLabel, s.left, s.topError?.rule]), [
      ['monthly_income', 'Monthly income', 20, 'max'],
      ['full_name', 'Your full name', 5, 'required'],
    ]);
  });
});

describe('periods split into whole months and the days either side', () => {
  test('a year from the 5th reads 11 whole months and two ragged ends of days', () => {
    assert.deepEqual(splitIntoMonths('2026-01-05', '2027-01-05'), {
      months: { from: '2026-02-01', to: '2027-01-01' }, days: [{ from: '2026-01-05', to: '2026-02-01' }, { from: '2027-01-01', to: '2027-01-05' }],
    });
  });
  test('whole months need no days; a period inside one month is all days', () => {
    assert.deepEqual(splitIntoMonths('2026-01-01', '2026-03-01'), { months: { from: '2026-01-01', to: '2026-03-01' }, days: [] });
    assert.deepEqual(splitIntoMonths('2026-02-03', '2026-02-20'), { months: null, days: [{ from: '2026-02-03', to: '2026-02-20' }] });
    assert.deepEqual(splitIntoMonths('2026-01-20', '2026-02-10'), { months: null, days: [{ from: '2026-01-20', to: '2026-02-10' }] });
    assert.deepEqual(splitIntoMonths('2026-02-10', '2026-02-10'), { months: null, days: [] });
  });
});
