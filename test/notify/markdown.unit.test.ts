import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emailHtml } from '../../src/notify/templates.js';

// Expected behaviour from GOV.UK Notify's own formatting tests (alphagov/notifications-utils tests/test_markdown.py),
// without Notify's inline styles. Regression for issue 12: "[*-•]" was a character range, so any line starting with
// a capital letter and a space became a one-item list, and links took the closing bracket after them.
const html = (text: string) => emailHtml(text, {});

test('plain sentences stay paragraphs, whatever letter they start with', () => {
  assert.equal(html('A decision has been made'), '<p>A decision has been made</p>');
  assert.equal(html('line one\nline two\n\nnew paragraph'), '<p>line one<br>\nline two</p>\n<p>new paragraph</p>');
  assert.equal(html('before\n\n\n\n\n\nafter'), '<p>before</p>\n<p>after</p>');
});

test('# is a heading, ## a smaller one, ### plain text', () => {
  for (const heading of ['# heading', '#heading']) assert.equal(html(heading), '<h2>heading</h2>');
  assert.equal(html('## heading'), '<h3>heading</h3>');
  assert.equal(html('### inset text'), '<p>inset text</p>');
});

test('bullets with *, - or •, with or without a space; + is not a bullet', () => {
  const list = '<ul>\n<li>one</li>\n<li>two</li>\n<li>three</li>\n</ul>';
  for (const markdown of ['*one\n*two\n*three\n', '* one\n* two\n* three\n', '*  one\n*  two\n*  three\n', '- one\n- two\n- three\n', '• one\n• two\n• three\n']) assert.equal(html(markdown), list, markdown);
  assert.equal(html('+ one\n+ two\n+ three\n'), '<p>+ one<br>\n+ two<br>\n+ three</p>');
});

test('numbered lists, with or without a space', () => {
  for (const markdown of ['1. one\n2. two\n3. three\n', '1.one\n2.two\n3.three\n']) assert.equal(html(markdown), '<ol>\n<li>one</li>\n<li>two</li>\n<li>three</li>\n</ol>');
});

test('^ is inset text and > is just a character; --- and *** are a line', () => {
  assert.equal(html('^ inset text'), '<blockquote>\n<p>inset text</p>\n</blockquote>');
  assert.equal(html('> not inset'), '<p>&gt; not inset</p>');
  for (const rule of ['***', '---']) assert.equal(html(`a\n\n${rule}\n\nb`), '<p>a</p>\n<hr>\n<p>b</p>');
});

test('links: [words](address), bare http(s) addresses, the bracket after one is not part of it', () => {
  assert.equal(html('[Example](http://example.com)'), '<p><a href="http://example.com">Example</a></p>');
  assert.equal(html('[Example](http://example.com "An example URL")'), '<p><a href="http://example.com" title="An example URL">Example</a></p>');
  assert.equal(html('Visit our [website](www.example.com/xyz).'), '<p>Visit our <a href="http://www.example.com/xyz">website</a>.</p>');
  assert.equal(html('this link is in brackets (http://example.com)'), '<p>this link is in brackets (<a href="http://example.com">http://example.com</a>)</p>');
  assert.equal(html('http://service.gov.uk/blah.ext?q=a%20b%20c&order=desc#fragment'),
    '<p><a href="http://service.gov.uk/blah.ext?q=a%20b%20c&amp;order=desc#fragment">http://service.gov.uk/blah.ext?q=a%20b%20c&amp;order=desc#fragment</a></p>');
  for (const notALink of ['example.com', 'www.example.com', 'ftp://example.com', 'test@example.com']) assert.equal(html(notALink), `<p>${notALink}</p>`);
  assert.equal(html('[x](javascript:alert(1))'), '<p>[x](javascript:alert(1))</p>');
});

test('no images, no raw HTML, no emphasis or code', () => {
  assert.equal(html('![alt text](http://example.com/image.png)'), '');
  assert.equal(html('<script>alert(1)</script>'), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  assert.equal(html('something **important**, *this* and `thing` ~~struck~~'), '<p>something **important**, *this* and `thing` ~~struck~~</p>');
});

test('personalisation is words: a value cannot become a heading, a list or a link with other words', () => {
  const value = '# Urgent\n* pay here\n1. now\n[Your bank](http://evil.example)';
  assert.equal(emailHtml('((value))', { value }), '<p># Urgent<br>\n* pay here<br>\n1. now<br>\n[Your bank](<a href="http://evil.example">http://evil.example</a>)</p>');
  assert.equal(emailHtml('Items:\n((items))', { items: ['one', '# two'] }), '<p>Items:</p>\n<ul>\n<li>one</li>\n<li># two</li>\n</ul>');
});
