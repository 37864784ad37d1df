import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scrubPersonalData } from '../../src/insights/scrub.js';

test('emails, phone numbers, RUTs, card numbers and other long numbers are removed; the rest is kept', () => {
  const cases: [string, string][] = [
    ['write to ana.perez@correo.cl please', 'write to [email removed] please'],
    ['call me on +56 9 8765 4321', 'call me on [phone number removed]'],
    ['my phone is 07700 900123', 'my phone is [phone number removed]'],
    ['RUT 12.345.678-5 was refused', 'RUT [ID number removed] was refused'],
    ['rut 7654321-K', 'rut [ID number removed]'],
    ['card 4111 1111 1111 1111 failed', 'card [card number removed] failed'],
    ['NI number QQ 12 34 56 C', 'NI number [ID number removed]'],
    ['case 123456', 'case [number removed]'],
    ['The date field rejected 31/04/2026 and page 3 of 5', 'The date field rejected 31/04/2026 and page 3 of 5'],
  ];
  for (const [input, expected] of cases) assert.equal(scrubPersonalData(input), expected, input);
});
