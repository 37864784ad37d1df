import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acrSatisfies, claimAt } from '../../src/platform/oidc/client.js';
import { profileFromClaims } from '../../src/identity/profile.js';
import { loadConfig } from '../../src/config.js';

const CLAVE_UNICA = { sub: '2594', RolUnico: { numero: 12345678, DV: 'k', tipo: 'RUN' }, name: { nombres: ['José', 'Pedro'], apellidos: ['Pérez', 'Soto'] }, email: 'jp@example.cl', email_verified: false };

test('claims are read at dotted paths and templates; arrays join, address objects show their formatted text', () => {
  assert.equal(claimAt(CLAVE_UNICA, 'RolUnico.numero'), '12345678');
  assert.equal(claimAt(CLAVE_UNICA, '{RolUnico.numero}-{RolUnico.DV}'), '12345678-k');
  assert.equal(claimAt(CLAVE_UNICA, 'name.nombres'), 'José Pedro');
  assert.equal(claimAt(CLAVE_UNICA, 'name.missing'), undefined);
  assert.equal(claimAt(CLAVE_UNICA, '{RolUnico.numero}-{RolUnico.missing}'), undefined, 'a template with a missing part is missing');
  assert.equal(claimAt({ address: { formatted: '1 High St' } }, 'address'), '1 High St');
});

test('a ClaveÚnica-style profile records the source of each value and leaves out an unverified email', () => {
  const { identity } = loadConfig({ OIDC_ISSUER: 'https://accounts.example.cl/openid', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's',
    OIDC_CLAIM_NATIONAL_ID: '{RolUnico.numero}-{RolUnico.DV}', OIDC_CLAIM_GIVEN_NAME: 'name.nombres', OIDC_CLAIM_FAMILY_NAME: 'name.apellidos' });
  const at = new Date('2026-12-02T12:00:00Z');
  const profile = profileFromClaims(CLAVE_UNICA, identity.claims, 'https://accounts.example.cl/openid', at);
  assert.deepEqual(profile.nationalId, { value: '12345678-K', source: { issuer: 'https://accounts.example.cl/openid', claim: '{RolUnico.numero}-{RolUnico.DV}', assertedAt: at.toISOString() } });
  assert.equal(profile.givenName?.value, 'José Pedro');
  assert.equal(profile.familyName?.value, 'Pérez Soto');
  assert.equal(profile.email, undefined);
});

test('a higher level of assurance than asked for is enough; an unknown one meets only itself', () => {
  const levels = ['low', 'substantial', 'high'];
  assert.ok(acrSatisfies(levels, 'substantial', 'high'));
  assert.ok(acrSatisfies(levels, 'substantial', 'substantial'));
  assert.ok(!acrSatisfies(levels, 'substantial', 'low'));
  assert.ok(!acrSatisfies(levels, 'substantial', undefined));
  assert.ok(acrSatisfies(levels, 'other', 'other'));
  assert.ok(!acrSatisfies(levels, 'other', 'high'));
});

test('settings: an outside issuer needs a client id and a secret or key; http only on localhost', () => {
  assert.throws(() => loadConfig({ OIDC_ISSUER: 'https://idp.example' }), /OIDC_CLIENT_ID/);
  assert.throws(() => loadConfig({ OIDC_ISSUER: 'https://idp.example', OIDC_CLIENT_ID: 'c' }), /OIDC_CLIENT_SECRET or OIDC_PRIVATE_KEY/);
  assert.throws(() => loadConfig({ OIDC_ISSUER: 'http://idp.example', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' }), /OIDC_ISSUER/);
  const builtIn = loadConfig({}).identity;
  assert.equal(builtIn.issuer, undefined);
  assert.deepEqual(builtIn.acrLevels, ['urn:plaza:loa:1', 'urn:plaza:loa:2']);
  assert.ok(builtIn.scopes.includes('national_id'));
  assert.equal(loadConfig({ OIDC_ISSUER: 'https://idp.example', OIDC_CLIENT_ID: 'c', OIDC_PRIVATE_KEY: 'k' }).identity.tokenAuthMethod, 'private_key_jwt');
});
