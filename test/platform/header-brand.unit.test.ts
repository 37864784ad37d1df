import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import * as sass from 'sass';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

/** The rules of the compiled stylesheet, in order, as [selectors, declarations]. */
function rules(css: string): [string[], string][] {
  return [...css.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((m) => [m[1].split(',').map((s) => s.trim()), m[2]]);
}

/** The colour the last rule naming one of these selectors gives (later rules of equal specificity win). */
function colourFor(all: [string[], string][], selectors: string[]): string | undefined {
  let colour: string | undefined;
  for (const [names, body] of all) {
    const value = /(?:^|;)\s*color:\s*([^;]+)/.exec(body)?.[1];
    if (value && names.some((n) => selectors.includes(n))) colour = value.trim();
  }
  return colour;
}

test('issue 18 item 1: the brand in the header is white in every link state, not the link colour (which is the header colour)', () => {
  const css = sass.compile(join(PROJECT_ROOT, 'src/platform/assets/plaza.scss'), {
    style: 'compressed', importers: [new sass.NodePackageImporter(PROJECT_ROOT)], quietDeps: true, silenceDeprecations: ['import', 'global-builtin'],
  }).css;
  const all = rules(css);
  for (const state of ['link', 'visited']) {
    // .govuk-link:link and .plaza-header__brand:link weigh the same, so the one written last decides.
    const colour = colourFor(all, [`.govuk-link:${state}`, `.plaza-header__brand:${state}`]);
    assert.match(colour ?? '', /^#fff(fff)?$/i, `a visited or unvisited brand link is ${colour}`);
  }
});
