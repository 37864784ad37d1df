import { toCsv } from '../platform/csv.js';
import type { CycleResults } from './assessments.js';
import { loadPdfKit } from '../platform/lazy-libraries.js';

// Exports of a cycle's results: PDF rendered on the server, CSV and JSON, all from the same figures.

/** One assessor's work on one element, for the staff exports (public exports leave it out). */
export interface ExportedAssessment {
  elementKey: string; assessor: string; submittedAt: string | null; level: string | null;
  answers: { question: string; text: string; answer: string }[];
  evidence: string; evidenceLinks: string[]; evidenceFiles: string[]; comments: string;
}

export function resultsAsJson(results: CycleResults, assessments?: ExportedAssessment[]) {
  const { cycle, organisation, framework } = results;
  return {
    organisation: { slug: organisation.slug, name: organisation.name, kind: organisation.kind },
    cycle: { id: cycle.id, name: cycle.name, status: cycle.status, signedOffAt: cycle.signed_off_at?.toISOString() ?? null },
    framework: { key: framework.key, version: framework.version, title: framework.title, source: framework.source },
    levels: framework.levels.map((l) => ({ key: l.key, score: l.score, name: l.name })),
    elements: results.elements.map((e) => ({
      key: e.key, title: e.title, level: e.levelKey ?? null, score: e.score ?? null, levelName: e.levelName ?? null,
      basis: e.basis ?? null, rationale: e.rationale || null,
      roadmap: e.next ? { nextLevel: e.next.name, characteristics: e.next.characteristics.map((c) => c.text) } : null,
      ...(assessments ? { assessments: assessments.filter((a) => a.elementKey === e.key).map(({ elementKey: _key, ...a }) => a) } : {}),
    })),
  };
}

export function resultsAsCsv(results: CycleResults, assessments?: ExportedAssessment[]): string {
  const head = [results.organisation.name, results.cycle.name, results.framework.key, results.framework.version];
  const rows: (string | number)[][] = [];
  for (const e of results.elements) {
    rows.push([...head, e.key, e.title, e.score ?? '', e.levelName ?? '', e.basis ?? '', e.rationale]);
    // Each assessor's answers (one row per question) and evidence follow their element's row.
    for (const a of (assessments ?? []).filter((x) => x.elementKey === e.key)) {
      const work = [a.assessor, a.submittedAt ?? '', a.level ?? ''];
      for (const q of a.answers) rows.push([...head, e.key, e.title, '', '', '', '', ...work, q.question, q.answer, '', '', '', '']);
      rows.push([...head, e.key, e.title, '', '', '', '', ...work, '', '', a.evidence, a.evidenceLinks.join(' '), a.evidenceFiles.join(' '), a.comments]);
    }
  }
  return toCsv([
    ['organisation', 'cycle', 'framework', 'framework_version', 'element_key', 'element', 'score', 'level', 'basis', 'rationale',
      ...(assessments ? ['assessor', 'submitted_at', 'assessor_level', 'question', 'answer', 'evidence', 'evidence_links', 'evidence_files', 'comments'] : [])],
    ...rows,
  ]);
}

/**
 * The results as a PDF: a bar chart, then the same figures as a table with the (moderated) levels and their
 * rationale, then the roadmap. Streams are left uncompressed so the text can be searched and checked.
 */
export async function resultsAsPdf(results: CycleResults): Promise<Buffer> {
  const PDFDocument = await loadPdfKit();
  const { cycle, organisation, framework } = results;
  const doc = new PDFDocument({ size: 'A4', margin: 50, compress: false, info: { Title: `${organisation.name}: ${cycle.name}`, Subject: framework.title } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 100;

  doc.font('Helvetica-Bold').fontSize(18).text(`${organisation.name}: ${cycle.name}`);
  doc.moveDown(0.3).font('Helvetica').fontSize(10)
    .text(`${framework.title} (version ${framework.version}). ${cycle.status === 'published' ? `Signed off ${cycle.signed_off_at?.toISOString().slice(0, 10)}.` : 'Not signed off yet: levels are provisional.'}`)
    .text(`Source: ${framework.source.publisher}, ${framework.source.date}.`);
  doc.moveDown();

  doc.font('Helvetica-Bold').fontSize(13).text('Levels by element');
  const chartTop = doc.y + 6, labelWidth = 220, barMax = width - labelWidth - 60, rowHeight = 20;
  results.elements.forEach((e, i) => {
    const y = chartTop + i * rowHeight;
    doc.font('Helvetica').fontSize(9).fillColor('#0b0c0c').text(e.title, 50, y + 4, { width: labelWidth - 10, align: 'right', lineBreak: false, ellipsis: true });
    if (e.score) doc.rect(50 + labelWidth, y + 3, (e.score / framework.levels.length) * barMax, rowHeight - 6).fill('#1d70b8');
    doc.fillColor('#0b0c0c').text(e.score ? String(e.score) : '–', 50 + labelWidth + (e.score ? (e.score / framework.levels.length) * barMax : 0) + 4, y + 4, { lineBreak: false });
  });
  doc.x = 50;
  doc.y = chartTop + results.elements.length * rowHeight + 14;

  doc.font('Helvetica-Bold').fontSize(13).text('Results table');
  doc.moveDown(0.3);
  for (const e of results.elements) {
    doc.font('Helvetica-Bold').fontSize(10).text(e.title, { continued: true }).font('Helvetica')
      .text(`: ${e.levelName ? `level ${e.score}, ${e.levelName}` : 'not rated'}${e.basis === 'moderated' ? ' (moderated)' : e.basis === 'agreed' ? ' (assessors agreed)' : ''}`);
    if (e.rationale) doc.fontSize(9).text(`Moderation rationale: ${e.rationale}`, { indent: 12 });
    doc.moveDown(0.3);
  }

  doc.addPage();
  doc.font('Helvetica-Bold').fontSize(13).text('Roadmap: the characteristics of the next level');
  for (const e of results.elements) {
    doc.moveDown(0.5).font('Helvetica-Bold').fontSize(10).text(`${e.title}${e.next ? ` — towards ${e.next.name}` : ' — at the highest level'}`);
    for (const c of e.next?.characteristics ?? []) {
      doc.font('Helvetica').fontSize(9).text(`• ${c.text}`, { indent: 8 });
      for (const d of c.details ?? []) doc.text(`– ${d}`, { indent: 20 });
    }
  }
  doc.end();
  return done;
}
