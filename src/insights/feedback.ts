
export const RATINGS = [5, 4, 3, 2, 1] as const;
export const COMMENT_MAX = 1200;

/** The service a citizen page belongs to, from its path (`/apply/<slug>/…`, `/services/<slug>`, `/performance/<slug>`). */
export function serviceOfPath(path: string): string | null {
  const match = /^\/(?:apply|services|performance|feedback\/satisfaction)\/([a-z0-9]+(?:-[a-z0-9]+)*)(?:\/|$)/.exec(path);
  return match ? match[1] : null;
}

/** A path safe to keep: no query string or fragment (they can carry references), only a site-relative path. */
export function cleanPath(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return null;
  const path = value.split(/[?#]/)[0].slice(0, 300);
  return /^\/[\w\-./~%]*$/.test(path) ? path : null;
}
