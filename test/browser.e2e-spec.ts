import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, Browser } from 'playwright-core';
import { ADMIN_PASSWORD, KEYSTONE_URL, KeystoneAdmin, passwordToken } from './support/keystone';
import { client, ensureBuilt, ServiceProcess, startService } from './support/service-process';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
if (process.env.REQUIRE_BROWSER && !hasBrowser) throw new Error(`REQUIRE_BROWSER is set but ${CHROMIUM} is missing (apt-get install chromium)`);

/** Debian's Chromium, headless, without the background connections this closed network refuses. */
const launchChromium = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

/** Swagger UI at /docs, GET /v1/volume/connectors opened and "Try it out" pressed. */
async function openListConnectors(browser: Browser, url: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  await page.goto(`${url}/docs`);
  const operation = page.locator('#operations-volume_connectors-listVolumeConnectors');
  await operation.waitFor({ timeout: 30000 });
  await operation.locator('.opblock-summary').first().click();
  await operation.locator('button.try-out__btn').click();
  return { page, operation };
}

/** Swagger UI in headless Chromium: a person lists connectors with "Try it out". */
(hasBrowser ? describe : describe.skip)('Swagger UI in a browser', () => {
  let service: ServiceProcess;
  let browser: Browser;
  let connector: string;

  beforeAll(async () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'ironvol-ui-'));
    service = await startService({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` });
    const api = client(service.url);
    const node = await api('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'ui-node' });
    connector = (await api('POST', '/v1/volume/connectors', { node_uuid: node.body.uuid, type: 'iqn', connector_id: 'iqn.2017-06.org.example:ui' })).body.uuid;
    browser = await launchChromium();
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('lists the connector operations and runs "Try it out" on GET /v1/volume/connectors', async () => {
    const { page, operation } = await openListConnectors(browser, service.url);
    for (const id of ['createVolumeConnector', 'showVolumeConnector', 'updateVolumeConnector', 'deleteVolumeConnector']) {
      await page.locator(`#operations-volume_connectors-${id}`).waitFor();
    }
    const versionInput = operation.locator('tr[data-param-name="X-OpenStack-Ironic-API-Version"] input');
    expect(await versionInput.inputValue()).toBe('1.82');
    await operation.locator('button.execute').click();
    const status = operation.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor({ timeout: 30000 });
    expect((await status.textContent())?.trim()).toBe('200');
    const body = operation.locator('.live-responses-table .response-col_description pre').first();
    expect(await body.textContent()).toContain(connector);
    const artifacts = join(__dirname, 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'swagger-ui-list-connectors.png'), fullPage: false });
    await page.close();
  }, 120000);
});

/** With AUTH_STRATEGY=keystone, a person pastes a Keystone token into "Authorize" and the call goes through. */
(hasBrowser && KEYSTONE_URL ? describe : describe.skip)('Swagger UI with a Keystone token', () => {
  let service: ServiceProcess;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    ensureBuilt();
    const admin = await KeystoneAdmin.connect();
    const password = randomBytes(12).toString('hex');
    const user = `ironvol-ui-${password.slice(0, 6)}`;
    await admin.user(user, password, [{ role: 'service', project: 'service' }]);
    token = await passwordToken('admin', ADMIN_PASSWORD, { system: true });
    const dir = mkdtempSync(join(tmpdir(), 'ironvol-ui-ks-'));
    service = await startService({
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, AUTH_STRATEGY: 'keystone', KEYSTONE_AUTH_URL: KEYSTONE_URL!,
      KEYSTONE_USERNAME: user, KEYSTONE_PASSWORD: password, KEYSTONE_PROJECT_NAME: 'service',
    });
    browser = await launchChromium();
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('refuses "Try it out" without a token, and answers 200 once the token is given under Authorize', async () => {
    const { page, operation } = await openListConnectors(browser, service.url);
    const execute = async () => {
      await operation.locator('button.execute').click();
      const status = operation.locator('.live-responses-table .response .response-col_status').first();
      await status.waitFor({ timeout: 30000 });
      const text = (await status.textContent())?.trim();
      await operation.locator('button.btn-clear').click();
      return text;
    };
    expect(await execute()).toBe('401');
    await page.locator('.scheme-container button.authorize').click();
    const scheme = page.locator('.modal-ux .auth-container').filter({ hasText: 'X-Auth-Token' });
    await scheme.locator('input').fill(token);
    await scheme.locator('button.authorize').click();
    await page.locator('.modal-ux button.btn-done').first().click();
    expect(await execute()).toBe('200');
    await page.close();
  }, 120000);
});
