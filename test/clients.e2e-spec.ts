import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ServiceProcess, startService } from './support/service-process';

const hasCli = spawnSync('sh', ['-c', 'command -v baremetal']).status === 0;
const hasSdk = spawnSync('/usr/bin/python3', ['-c', 'import openstack']).status === 0;
if (process.env.REQUIRE_CLIENTS && (!hasCli || !hasSdk)) {
  throw new Error('REQUIRE_CLIENTS is set but the baremetal CLI or openstacksdk is missing (apt-get install python3-ironicclient python3-openstacksdk)');
}

/** The real Ironic clients, unchanged, against a running ironvol. */
(hasCli && hasSdk ? describe : describe.skip)('real Ironic clients', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'ironvol-cli-'));
    service = await startService({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` });
  }, 120000);
  afterAll(async () => {
    await service?.stop();
  });

  it('runs the worked session of docs/api.md with the baremetal CLI', () => {
    const out = execFileSync('bash', [join(__dirname, 'clients', 'baremetal-session.sh'), service.url], { encoding: 'utf8', timeout: 120000 });
    const steps = out.split(/^(?=\$ baremetal )/m).filter(Boolean);
    const exit = (command: string) => {
      const step = steps.find((s) => s.startsWith(`$ baremetal ${command}`));
      if (!step) throw new Error(`no step ${command} in:\n${out}`);
      return { code: Number(/\[exit (\d+)\]\s*$/.exec(step)![1]), text: step };
    };
    expect(exit('node create').text).toMatch(/provision_state\s*\|\s*enroll/);
    expect(exit('node list').text).toMatch(/\| n1 +\|/);
    expect(exit('node show n1').text).toMatch(/power_state\s*\|\s*power off/);
    const creates = steps.filter((s) => s.startsWith('$ baremetal volume connector create'));
    expect(creates[0]).toMatch(/\[exit 0\]/);
    expect(creates[1]).toMatch(/already exists\. \(HTTP 409\)[\s\S]*\[exit 1\]/);
    expect(exit('volume connector show').text).toMatch(/extra\s*\|\s*\{'k': 'v'\}/);
    expect(exit('volume target create').text).toMatch(/properties\s*\|\s*\{'target_lun': 0\}/);
    expect(exit('volume target list --long').text).toMatch(/target_iqn/);
    const deletes = steps.filter((s) => s.startsWith('$ baremetal volume connector delete'));
    expect(deletes[0]).toMatch(/can not be performed on node "[0-9a-f-]+" while it is in state "power on"\. \(HTTP 400\)/);
    expect(deletes[1]).toMatch(/Deleted volume connector/);
    expect(exit('volume target set').code).toBe(0);
    expect(steps.find((s) => s.includes('--extra a=b'))).toMatch(/"volume target update" can not be performed/);
    expect(exit('volume target delete').text).toMatch(/Deleted volume target/);
    expect(exit('node delete').text).toMatch(/Deleted node n1/);
  }, 180000);

  it('runs an openstacksdk session', () => {
    const out = execFileSync('/usr/bin/python3', [join(__dirname, 'clients', 'sdk-session.py'), service.url], { encoding: 'utf8', timeout: 120000 });
    expect(out).toContain('node sdk-node None');
    expect(out).toContain('connector iqn iqn.sdk:1 True');
    expect(out).toContain('target iscsi 0 vol-sdk');
    expect(out).toContain("connectors ['iqn.sdk:1']");
    expect(out).toContain("updated {'k': 'v'}");
    expect(out).toContain('cleaned up');
  }, 180000);
});

/** The same CLI with `--os-auth-type http_basic`, against AUTH_STRATEGY=http_basic and a role map. */
(hasCli ? describe : describe.skip)('baremetal CLI with http_basic', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'ironvol-basic-'));
    writeFileSync(join(dir, 'htpasswd'), ['operator', 'tenant'].map((u) => `${u}:${bcrypt.hashSync(`${u}-pw`, 6)}`).join('\n'));
    writeFileSync(join(dir, 'roles.json'), JSON.stringify({ operator: { roles: ['admin'] }, tenant: { roles: ['manager'], project: 'p1' } }));
    service = await startService({
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      AUTH_STRATEGY: 'http_basic',
      HTTP_BASIC_AUTH_USER_FILE: join(dir, 'htpasswd'),
      HTTP_BASIC_AUTH_ROLES_FILE: join(dir, 'roles.json'),
    });
  }, 120000);
  afterAll(async () => {
    await service?.stop();
  });

  const baremetal = (user: string, password: string, ...args: string[]) => {
    const run = spawnSync(
      'baremetal',
      ['--os-auth-type', 'http_basic', '--os-username', user, '--os-password', password, '--os-endpoint', service.url, '--max-retries', '0', ...args],
      { encoding: 'utf8', timeout: 60000, env: { PATH: process.env.PATH, HOME: tmpdir() } },
    );
    return { code: run.status, out: `${run.stdout}${run.stderr}` };
  };

  it('works with the credentials of the htpasswd file, and by the role map', () => {
    const created = baremetal('operator', 'operator-pw', 'node', 'create', '--driver', 'fake-hardware', '--name', 'hb1', '-f', 'value', '-c', 'uuid');
    expect(created.code).toBe(0);
    const node = created.out.trim();
    // This client's `node create` does not send --owner; `node set` does.
    expect(baremetal('operator', 'operator-pw', '--os-baremetal-api-version', '1.65', 'node', 'set', node, '--owner', 'p1').code).toBe(0);
    const connector = baremetal('tenant', 'tenant-pw', 'volume', 'connector', 'create', '--node', node, '--type', 'iqn', '--connector-id', 'iqn.2017-06.org.example:hb1', '-f', 'value', '-c', 'connector_id');
    expect(connector).toEqual({ code: 0, out: 'iqn.2017-06.org.example:hb1\n' });
    expect(baremetal('tenant', 'tenant-pw', 'volume', 'connector', 'list', '-f', 'value', '-c', 'Connector ID').out).toBe('iqn.2017-06.org.example:hb1\n');
    const forbidden = baremetal('tenant', 'tenant-pw', 'node', 'create', '--driver', 'fake-hardware');
    expect(forbidden.code).toBe(1);
    expect(forbidden.out).toMatch(/Access was denied to the following resource: baremetal:node:create \(HTTP 403\)/);
  }, 120000);

  it('refuses a wrong password with 401', () => {
    const refused = baremetal('operator', 'wrong', 'volume', 'connector', 'list');
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/Incorrect username or password[\s\S]*401|401[\s\S]*Incorrect username or password/);
  }, 60000);
});

/** The CLI with a bearer token (AUTH_STRATEGY=jwt): `--os-auth-type admin_token` sends it as X-Auth-Token. */
(hasCli ? describe : describe.skip)('baremetal CLI with a JWT', () => {
  let service: ServiceProcess;
  let token: (claims: Record<string, unknown>) => Promise<string>;
  beforeAll(async () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'ironvol-jwt-'));
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'cli', alg: 'ES256' }] }));
    token = (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'cli' }).setIssuer('https://idp.test').setAudience('ironvol').setExpirationTime('10m').sign(privateKey);
    service = await startService({
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      AUTH_STRATEGY: 'jwt',
      JWT_JWKS_FILE: join(dir, 'jwks.json'),
      JWT_ISSUER: 'https://idp.test',
      JWT_AUDIENCE: 'ironvol',
    });
  }, 120000);
  afterAll(async () => {
    await service?.stop();
  });

  const baremetal = (jwt: string, ...args: string[]) => {
    const run = spawnSync('baremetal', ['--os-auth-type', 'admin_token', '--os-token', jwt, '--os-endpoint', service.url, '--max-retries', '0', ...args], {
      encoding: 'utf8',
      timeout: 60000,
      env: { PATH: process.env.PATH, HOME: tmpdir() },
    });
    return { code: run.status, out: `${run.stdout}${run.stderr}` };
  };

  it('works with a token from the issuer, and not with a reader\'s token for a change', async () => {
    const admin = await token({ sub: 'ops', roles: ['admin'] });
    const created = baremetal(admin, 'node', 'create', '--driver', 'fake-hardware', '--name', 'jwt1', '-f', 'value', '-c', 'uuid');
    expect(created.code).toBe(0);
    const node = created.out.trim();
    expect(baremetal(admin, 'volume', 'connector', 'create', '--node', node, '--type', 'iqn', '--connector-id', 'iqn.jwt:1', '-f', 'value', '-c', 'connector_id'))
      .toEqual({ code: 0, out: 'iqn.jwt:1\n' });
    const reader = await token({ sub: 'auditor', roles: ['reader'] });
    expect(baremetal(reader, 'volume', 'connector', 'list', '-f', 'value', '-c', 'Connector ID')).toEqual({ code: 0, out: 'iqn.jwt:1\n' });
    const refused = baremetal(reader, 'node', 'delete', node);
    expect(refused.out).toMatch(/Access was denied to the following resource: baremetal:node:delete \(HTTP 403\)/);
    const forged = baremetal(`${admin.slice(0, -4)}AAAA`, 'volume', 'connector', 'list');
    expect(forged.code).toBe(1);
    expect(forged.out).toMatch(/401/);
  }, 120000);
});
