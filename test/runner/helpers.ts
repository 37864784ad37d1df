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
  return { status: res.statusCode, headers: res.headers as AgentResponse["headers"], body: res.body, json: () => JSON.parse(res.body), location: res.headers.location as string | undefined };
}

/** Follows a redirect chain with GETs (the agent keeps cookies and the CSRF token). */
export async function follow(agent: TestAgent, res: AgentResponse): Promise<AgentResponse> {
  let current = res;
  for (let i = 0; i < 10 && current.status >= 300 && current.status < 400 && current.location; i++) current = await agent.get(current.location);
  return current;
}
