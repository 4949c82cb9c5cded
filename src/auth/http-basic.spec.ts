import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { IronicError } from '../common/errors/ironic-errors';
import { BASIC_CHALLENGE, HttpBasicAuthenticator, parseRoleMap } from './http-basic';

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

async function refusal(promise: Promise<unknown>): Promise<IronicError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof IronicError)) throw new Error(`expected an IronicError, got ${String(error)}`);
  return error;
}

describe(HttpBasicAuthenticator.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'basic-'));
  const file = join(dir, 'htpasswd');
  // htpasswd -B writes $2y$; bcryptjs writes $2b$: both must verify.
  writeFileSync(file, `alice:${bcrypt.hashSync('wonderland', 4).replace('$2b$', '$2y$')}\n\n# comment\nbob:${bcrypt.hashSync('builder:with:colons', 4)}\n`);

  it('yields a system administrator for every user when there is no role map (as Ironic)', async () => {
    const auth = new HttpBasicAuthenticator(file, null);
    await expect(auth.authenticate(basic('alice', 'wonderland'))).resolves.toEqual({ user: 'alice', roles: ['admin'], project: null });
    await expect(auth.authenticate(basic('bob', 'builder:with:colons'))).resolves.toMatchObject({ user: 'bob' });
  });

  it('takes roles and project from the role map; a user missing from it has no role', async () => {
    const auth = new HttpBasicAuthenticator(file, parseRoleMap('{"alice": {"roles": ["reader"], "project": "p1"}}'));
    await expect(auth.authenticate(basic('alice', 'wonderland'))).resolves.toEqual({ user: 'alice', roles: ['reader'], project: 'p1', projectName: 'p1' });
    await expect(auth.authenticate(basic('bob', 'builder:with:colons'))).resolves.toEqual({ user: 'bob', roles: [], project: null, projectName: null });
  });

  it.each([
    [undefined, 401, 'Authorization required'],
    [basic('alice', 'wrong').authorization, 401, 'Incorrect username or password'],
    [basic('mallory', 'wonderland').authorization, 401, 'Incorrect username or password'],
    [basic('', '').authorization, 401, 'Incorrect username or password'],
    ['Basic', 400, 'Could not parse Authorization header'],
    ['Basic a b', 400, 'Could not parse Authorization header'],
    ['Bearer abc', 400, 'Unsupported authorization type "Bearer"'],
    ['Basic !!!!', 400, 'Could not decode authorization token'],
    ['Basic abc', 400, 'Could not decode authorization token'],
    [`Basic ${Buffer.from('nocolon').toString('base64')}`, 400, 'Could not decode authorization token'],
  ])('answers %j with %i "%s" (Ironic\'s wording)', async (header, status, message) => {
    const error = await refusal(new HttpBasicAuthenticator(file, null).authenticate({ authorization: header }));
    expect([error.status, error.message]).toEqual([status, message]);
    if (status === 401) expect(error.headers['WWW-Authenticate']).toBe(BASIC_CHALLENGE);
  });

  it('reads the file again when it changes, and keeps the last good one when the change is bad', async () => {
    const changing = join(dir, 'changing');
    writeFileSync(changing, `carol:${bcrypt.hashSync('one', 4)}\n`);
    const errors: string[] = [];
    const auth = new HttpBasicAuthenticator(changing, null, (e) => errors.push(e.message));
    await expect(auth.authenticate(basic('carol', 'one'))).resolves.toMatchObject({ user: 'carol' });
    const later = (seconds: number) => {
      utimesSync(changing, new Date(), new Date(Date.now() + seconds * 1000));
      jest.setSystemTime(Date.now() + 1500);
    };
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      writeFileSync(changing, `carol:${bcrypt.hashSync('two', 4)}\n`);
      later(5);
      expect((await refusal(auth.authenticate(basic('carol', 'one')))).status).toBe(401);
      await expect(auth.authenticate(basic('carol', 'two'))).resolves.toMatchObject({ user: 'carol' });
      writeFileSync(changing, 'carol:plaintext\n');
      later(10);
      await expect(auth.authenticate(basic('carol', 'two'))).resolves.toMatchObject({ user: 'carol' });
      expect(errors.join()).toContain('only bcrypt digested passwords are supported');
    } finally {
      jest.useRealTimers();
    }
  });
});
