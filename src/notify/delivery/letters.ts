import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NotifyNotification, NotifyService } from '../repo.js';
import { loadPdfKit } from '../../platform/lazy-libraries.js';

const MM = 72 / 25.4;

/**
 * Renders a letter on A4 with the address block where a C5/DL windowed envelope shows it (left 24 mm, top
 * 50 mm, 90 × 27 mm), the sender's block top right, then the subject and body.
 */
export async function renderLetterPdf(service: Pick<NotifyService, 'name' | 'brand_name'>, letter: Pick<NotifyNotification, 'id' | 'address' | 'subject' | 'body' | 'created_at'>): Promise<Buffer> {
  const PDFDocument = await loadPdfKit();
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margins: { top: 20 * MM, bottom: 20 * MM, left: 24 * MM, right: 20 * MM }, info: { Title: letter.subject ?? 'Letter', Producer: 'Plaza Notify' } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const lines = (Array.isArray(letter.address) ? letter.address : JSON.parse(String(letter.address ?? '[]'))) as string[];
    doc.font('Helvetica').fontSize(10).text(service.brand_name ?? service.name, 125 * MM, 20 * MM, { width: 65 * MM, align: 'right' });
    doc.fontSize(11).text(lines.join('\n'), 24 * MM, 50 * MM, { width: 90 * MM, height: 27 * MM, lineGap: 1 });
    doc.fontSize(10).text(new Date(letter.created_at).toISOString().slice(0, 10), 125 * MM, 84 * MM, { width: 65 * MM, align: 'right' });
    doc.font('Helvetica-Bold').fontSize(14).text(letter.subject ?? '', 24 * MM, 95 * MM, { width: 166 * MM });
    doc.moveDown(0.8).font('Helvetica').fontSize(11).text(letter.body.replace(/^#\s*/gm, ''), { width: 166 * MM, lineGap: 2 });
    doc.end();
  });
}

/** Writes the letter to the print provider's folder as `<notification id>.pdf`; rewriting is harmless, so retries are idempotent. */
export async function writeLetterForPrint(lettersDir: string, id: string, pdf: Buffer): Promise<string> {
  await mkdir(lettersDir, { recursive: true });
  const path = join(lettersDir, `${id}.pdf`);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, pdf);
  await rename(temporary, path);
  return path;
}
