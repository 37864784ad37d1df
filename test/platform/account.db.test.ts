import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';

describeEachDatabase('staff change their own password', (plaza) => {
  test('wrong current password and weak new ones get field messages; a change ends other sessions', async () => {
    const laptop = plaza().agent();
    await laptop.signIn('analyst@riverside.example');
    const phone = plaza().agent();
    await phone.signIn('analyst@riverside.example');
    await laptop.get('/staff/account/password');

    const wrong = await laptop.post('/staff/account/password', { current: 'not my password', password: 'a brand new passphrase' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /href="#current"/);
    assert.match(wrong.body, /Your current password is not correct/);
    const short = await laptop.post('/staff/account/password', { current: 'plaza-demo-2026', password: 'short' });
    assert.equal(short.status, 400);
    assert.match(short.body, /12 characters or more/);

    const ok = await laptop.post('/staff/account/password', { current: 'plaza-demo-2026', password: 'a brand new passphrase' });
    assert.equal(ok.status, 303);
    assert.match((await laptop.get(ok.location!)).body, /Your password has been changed/);
    assert.equal((await phone.get('/staff')).status, 303, 'the other session has ended');
    await assert.rejects(plaza().agent().signIn('analyst@riverside.example'), /failed with 400/);
    await plaza().agent().signIn('analyst@riverside.example', 'a brand new passphrase');
  });

  test('the page needs a signed-in staff member', async () => {
    assert.equal((await plaza().agent().get('/staff/account/password')).status, 303);
  });
}, { engines: 'default' });
