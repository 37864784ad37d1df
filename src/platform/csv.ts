import { stringify } from 'csv-stringify/sync';

/*
 * The one CSV writer of the platform. Exports are opened in spreadsheets, and a cell that starts like a formula
 * (=HYPERLINK(…), +, -, @, or a tab or carriage return before one) would run as a formula there: CSV injection. Every
 * text cell that starts with one of those characters gets a leading ' (OWASP's advice), which spreadsheets show as
 * text; numbers are left alone, as a number cannot be a formula.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

type Cell = string | number | boolean | null | undefined;

/** A cell safe to open in a spreadsheet: text that starts like a formula gets a leading '. */
export function guardCell(value: Cell): Exclude<Cell, null | undefined> {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes guardCell on a cell read back from one of Plaza's own exports (so an export imports as it was). */
export function unguardCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** CSV text for rows of cells, or of records under a header of `columns`, every cell guarded against formulas. */
export function toCsv(rows: readonly (readonly Cell[])[] | readonly Record<string, Cell>[], columns?: readonly string[]): string {
  const guarded = rows.map((row) => (Array.isArray(row) ? row.map(guardCell) : Object.fromEntries(Object.entries(row).map(([key, value]) => [key, guardCell(value)]))));
  return stringify(guarded, columns ? { header: true, columns: [...columns] } : {});
}
