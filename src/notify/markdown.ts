import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';

/*
 * GOV.UK Notify's formatting for emails, on markdown-it with only the rules Notify has: # headings (## for a smaller
 * one), bullets with *, - or •, numbered lists, ^ for inset text, --- or *** for a line, [links](…) and bare http(s)
 * addresses made into links. Everything else stays as typed: no images, no raw HTML (escaped), no emphasis or code.
 */
const md = new MarkdownIt('zero', { html: false, linkify: true, breaks: true })
  .enable(['heading', 'list', 'blockquote', 'hr', 'link', 'image', 'newline', 'escape', 'linkify']);
// Notify links only web addresses written out in full, not "example.com", e-mail addresses or ftp:.
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false }).add('ftp:', null).add('//', null).add('mailto:', null);
md.renderer.rules.image = () => '';
// Link text is shown as written (markdown-it would decode %20 in it).
md.normalizeLinkText = (text) => text;

// Notify's # is a page's main heading within the email (h2) and ## a smaller one (h3); ### and beyond are plain text.
md.core.ruler.push('notify_headings', (state) => {
  for (const token of state.tokens) {
    if (token.type !== 'heading_open' && token.type !== 'heading_close') continue;
    const level = Number(token.tag.slice(1));
    if (level <= 2) token.tag = `h${level + 1}`;
    else Object.assign(token, { type: token.type === 'heading_open' ? 'paragraph_open' : 'paragraph_close', tag: 'p' });
  }
});

// A link written without its scheme, like [our website](www.example.gov), goes to the web address it names.
md.core.ruler.push('notify_link_scheme', (state) => {
  const visit = (tokens: Token[]) => tokens.forEach((token) => {
    const href = token.type === 'link_open' ? String(token.attrGet('href') ?? '') : '';
    if (href && !/^[a-z][a-z0-9+.-]*:/i.test(href)) token.attrSet('href', `http://${href}`);
    if (token.children) visit(token.children);
  });
  visit(state.tokens);
});

/** Turns Notify's own markers into the markdown markdown-it reads: ^ is inset text, • a bullet, while > and + are text. */
export function notifyToMarkdown(text: string): string {
  return text.split('\n').map((line) => line
    .replace(/^(\s*)>/, '$1\\>')
    .replace(/^(\s*)\+(\s)/, '$1\\+$2')
    .replace(/^(\s*\d+)\)/, '$1\\)')
    .replace(/^(\s*)\^ ?/, '$1> ')
    .replace(/^(\s*)•/, '$1*')
    // Notify needs no space after a bullet, a number or the heading's #: "*one", "1.one", "#Heading".
    .replace(/^(\s*)([*-])(?=[^\s*-])/, '$1$2 ')
    .replace(/^(\s*)(\d+\.)(?=\S)/, '$1$2 ')
    .replace(/^(\s*)(#{1,2})(?=[^\s#])/, '$1$2 ')).join('\n');
}

/**
 * A personalisation value as literal text within the markdown: whatever a person typed stays words, never a heading,
 * a list, a line or a link with misleading words (their web addresses are still linked, as in Notify).
 */
export function escapeMarkdown(value: string): string {
  return value.replace(/[\\[\]]/g, '\\$&').split('\n')
    .map((line) => line.replace(/^(\s*)([#*+>-])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2')).join('\n');
}

/** Markdown (from notifyToMarkdown) as HTML; raw HTML in it is escaped and an image leaves nothing behind. */
export function markdownHtml(markdown: string): string {
  return md.render(markdown).replace(/<p><\/p>\n?/g, '').trim();
}
