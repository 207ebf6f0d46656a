/*
 * /docs opened in a real browser: Debian's headless Chromium, driven by playwright-core (no
 * browser download). The send operation is expanded, its request schema read, and a message is
 * sent from the page itself with "Try it out".
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { api } from './utils/api';
import { ADMIN_KEY, createTestApp, type TestApp } from './utils/create-app';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  console.warn(
    `Swagger UI browser test skipped: ${CHROMIUM} is missing (apt-get install chromium).`,
  );
}

const suite = available ? describe : describe.skip;

suite(
  `Swagger UI in headless Chromium${available ? '' : ` (skipped: ${CHROMIUM} is missing)`}`,
  () => {
    let gw: TestApp;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];
    const failedRequests: string[] = [];

    beforeAll(async () => {
      gw = await createTestApp({
        env: { JAMBONES_MESSAGING: JSON.stringify({ sandbox: { module: 'sandbox' } }) },
      });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      page = await browser.newPage();
      // Each step fails on its own, well within the test's time.
      page.setDefaultTimeout(8000);
      page.on('pageerror', (err) => pageErrors.push(err.message));
      page.on('requestfailed', (req) => failedRequests.push(req.url()));
      await page.goto(`${gw.baseUrl}/docs`);
    }, 60000);

    afterAll(async () => {
      await browser?.close();
      await gw?.close();
    });

    const sendOperation = () => page.locator('#operations-Messages-MessagesController_send');

    it('loads the page with every asset and no script error', async () => {
      await sendOperation().waitFor({ timeout: 20000 });
      expect(await page.locator('.info .title').innerText()).toContain('SMS gateway');
      expect(pageErrors).toEqual([]);
      expect(failedRequests).toEqual([]);
    });

    it('expands POST /v1/Accounts/{accountSid}/Messages and shows its request schema', async () => {
      const op = sendOperation();
      await op.locator('.opblock-summary-control').click();
      await op.locator('.opblock-body').waitFor();
      expect(await op.locator('.opblock-summary-path').innerText()).toMatch(
        /\/v1\/Accounts\/\{accountSid\}\/Messages/,
      );
      const requestBody = op.locator('.opblock-section-request-body');
      await requestBody.locator('button[data-name="model"]').click();
      const model = requestBody.locator('.model-box');
      await model.waitFor();
      const text = await model.innerText();
      expect(text).toContain('SendMessageDto');
      for (const field of ['from', 'to', 'text', 'media', 'provider']) {
        expect(text).toMatch(new RegExp(`^\\s*${field}\\*?\\s`, 'm'));
      }
      // The required fields carry the star.
      expect(text).toMatch(/^\s*from\*/m);
      expect(text).toMatch(/^\s*to\*/m);
      expect(text).not.toMatch(/^\s*text\*/m);
    });

    it('sends a message from the page with "Try it out"', async () => {
      const account = await api(gw.baseUrl, 'POST', '/v1/Accounts', { name: 'swagger' });
      expect(account.status).toBe(201);

      await page.locator('.scheme-container button.authorize').click();
      const dialog = page.locator('.modal-ux');
      await dialog.locator('input').first().fill(ADMIN_KEY);
      await dialog.locator('button[type="submit"]').click();
      await dialog.locator('button.btn-done').click();

      const op = sendOperation();
      await op.locator('button.try-out__btn').click();
      await op.locator('tr[data-param-name="accountSid"] input').fill(account.body.sid);
      // The editable body is under "Example Value" (the previous test left "Schema" open).
      await op.locator('.opblock-section-request-body button[data-name="example"]').click();
      await op
        .locator('textarea.body-param__text')
        .fill(
          JSON.stringify({ from: '+15085550100', to: '+15085550111', text: 'sent from the docs' }),
        );
      await op.locator('button.execute').click();
      const status = op.locator('.live-responses-table .response .response-col_status').first();
      await status.waitFor({ timeout: 20000 });
      expect((await status.innerText()).trim()).toBe('201');

      const log = await api(gw.baseUrl, 'GET', `/v1/Accounts/${account.body.sid}/Messages`);
      expect(JSON.stringify(log.body)).toContain('sent from the docs');
    });
  },
);
