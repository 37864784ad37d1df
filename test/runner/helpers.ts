import { FileSystemBlobStore } from '../../src/forms/blobs/filesystem.js';
import { fileSystemBlobRoot } from '../../src/forms/blobs/store.js';
import type { TestAgent, AgentResponse, TestPlaza } from '../helpers/plaza.js';

/** A tiny PDF, enough for the upload checks (they read the first bytes). */
export const SAMPLE_PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** Posts a multipart form (with files) through the test agent's cookies and CSRF token. */
export async function postMultipart(plaza: TestPlaza, agent: TestAgent, url: string, fields: Record<string, string>, files: Record<string, { name: string; type: string; data: Buffer }>): Promise<AgentResponse> {
  const boundary = `----plaza${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ ...fields, _csrf: agent.csrfToken! })) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const [name, file] of Object.entries(files)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const res = await plaza.app.inject({
    method: 'POST', url, payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  return { status: res.statusCode, headers: res.headers as AgentResponse["headers"], body: res.body, json: () => JSON.parse(res.body), location: res.headers.location };
}

/** Follows a redirect chain with GETs (the agent keeps cookies and the CSRF token). */
export async function follow(agent: TestAgent, res: AgentResponse): Promise<AgentResponse> {
  let current = res;
  for (let i = 0; i < 10 && current.status >= 300 && current.status < 400 && current.location; i++) current = await agent.get(current.location);
  return current;
}

/** Who fills in the housing support application in the HTTP tests. */
export interface HousingApplicant { given: string; family: string; email: string }
const ANA: HousingApplicant = { given: 'Ana María', family: 'Rojas', email: 'ana.rojas@example.com' };
export const HOUSING_BASE = '/apply/housing-support-application';

/** A citizen starts the housing support application and answers every page before the payslip upload. */
export async function answerHousingUpToUpload(plaza: TestPlaza, applicant: HousingApplicant = ANA): Promise<TestAgent> {
  const base = HOUSING_BASE;
  const agent = plaza.agent();
  await agent.get(base);
  await follow(agent, await agent.post(`${base}/start`));
  const steps: [string, Record<string, string>][] = [
    ['page/full-name', { 'full_name-given': applicant.given, 'full_name-family': applicant.family }],
    ['page/date-of-birth', { 'date_of_birth-day': '27', 'date_of_birth-month': '3', 'date_of_birth-year': '1985' }],
    ['page/contact', { email: applicant.email, phone: '' }],
    ['page/address', { 'home_address-line1': '14 River Road', 'home_address-town': 'Riverside', 'home_address-postcode': 'RV1 2AB' }],
    ['page/household', { 'add-another': 'no' }],
  ];
  for (const [path, fields] of steps) {
    const res = await agent.post(`${base}/${path}`, fields);
    if (res.status !== 303) throw new Error(`${path}: ${res.status}`);
    await follow(agent, res);
  }
  return agent;
}

/**
 * A citizen completes the housing support application (with an uploaded payslip) over HTTP and submits it.
 * Returns the reference shown on the confirmation page.
 */
export async function submitHousingApplication(plaza: TestPlaza, email = ANA.email): Promise<string> {
  const base = HOUSING_BASE;
  const agent = await answerHousingUpToUpload(plaza, { ...ANA, email });
  const upload = await postMultipart(plaza, agent, `${base}/page/income-proof`, {}, { income_proof: { name: 'payslip.pdf', type: 'application/pdf', data: SAMPLE_PDF } });
  if (upload.status !== 303) throw new Error(`upload: ${upload.status}`);
  await follow(agent, upload);
  await follow(agent, await agent.post(`${base}/check`));
  const declared = await agent.post(`${base}/declaration`, { agree: 'yes' });
  if (declared.location !== `${base}/confirmation`) throw new Error(`declaration: ${declared.status}`);
  const confirmation = await agent.get(`${base}/confirmation`);
  const reference = /<strong>([A-Z0-9-]+)<\/strong>/.exec(confirmation.body)?.[1];
  if (!reference) throw new Error('no reference on the confirmation page');
  return reference;
}

/** Where the file-system blob store keeps a blob on disk, to check it is really gone. */
export function blobPath(config: { dataDir: string }, blobKey: string): string {
  return new FileSystemBlobStore(fileSystemBlobRoot(config.dataDir)).path(blobKey);
}
