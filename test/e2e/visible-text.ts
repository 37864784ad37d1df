import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { foreignSentences, internalIds, type Lang } from '../helpers/page-language.js';

/**
 * What a person reads on a page must be in the page's language (no sentence of the other language), show no
 * internal ids (question ids, untranslated message keys), and the brand in the header must stand out from it.
 */
export async function assertVisibleText(page: Page, lang: Lang): Promise<void> {
  const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
  assert.deepEqual(foreignSentences(text, lang), [], `${page.url()} (${lang}) shows text in the other language`);
  assert.deepEqual(internalIds(text), [], `${page.url()} shows internal ids`);
  await assertBrandVisible(page);
}

/** WCAG relative luminance of a computed CSS colour ("rgb(r, g, b)"). */
function luminance(colour: string): number {
  const [r, g, b] = (colour.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The header's brand name is shown, on screen, with at least 4.5:1 contrast against the header. */
export async function assertBrandVisible(page: Page): Promise<void> {
  const brand = page.locator('.plaza-header__brand');
  assert.ok(await brand.isVisible(), `${page.url()}: the brand is not visible`);
  const box = await brand.boundingBox();
  const width = page.viewportSize()?.width ?? 1280;
  assert.ok(box && box.x >= 0 && box.x + box.width <= width + 1, `${page.url()}: the brand is off screen`);
  const { colour, background } = await page.evaluate(() => {
    const el = document.querySelector('.plaza-header__brand')!;
    return { colour: getComputedStyle(el).color, background: getComputedStyle(document.querySelector('.plaza-header')!).backgroundColor };
  });
  const [light, dark] = [luminance(colour), luminance(background)].sort((a, b) => b - a);
  const ratio = (light + 0.05) / (dark + 0.05);
  assert.ok(ratio >= 4.5, `${page.url()}: the brand (${colour}) on the header (${background}) has contrast ${ratio.toFixed(2)}:1`);
}
