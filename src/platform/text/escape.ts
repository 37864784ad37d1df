const XML_SPECIALS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe inside XML (an SVG's <title>, a double-quoted attribute). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => XML_SPECIALS[c]);
}

/** Text made safe anywhere in HTML, single-quoted attributes included. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_SPECIALS[c]);
}
