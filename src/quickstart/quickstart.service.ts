import { Injectable } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { ApplicationsService } from '../applications/applications.service';
import { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import type { Principal } from '../auth/principal';

export const DEMO_ACCOUNT_NAME = 'Quickstart demo';
export const DEMO_APPLICATION_NAME = 'echo-app';
/** Where examples/echo-app listens. */
export const DEMO_HOOK_URL = 'http://127.0.0.1:3100/sms';
/** The demo's own number (the one the simulated phone texts), and the simulated phone's. */
export const DEMO_NUMBER = '15085550100';
export const DEMO_PHONE = '15085550199';

export interface DemoTenant {
  accountSid: string;
  applicationSid: string;
  number: string;
  hookUrl: string | null;
  /** The API key's token: only when the key was made now (it is shown once). */
  apiKeyToken?: string;
  created: boolean;
}

const ADMIN: Principal = { kind: 'admin' };

/**
 * The quickstart's demo tenant: made on the first start (account, API key, application calling
 * the example app, number), found again on later starts.
 */
@Injectable()
export class QuickstartService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly apiKeys: ApiKeysService,
    private readonly applications: ApplicationsService,
    private readonly numbers: PhoneNumbersService,
  ) {}

  async ensureDemo(): Promise<DemoTenant> {
    const existing = (await this.accounts.list(ADMIN)).find((a) => a.name === DEMO_ACCOUNT_NAME);
    if (existing) {
      const apps = await this.applications.list(ADMIN, existing.sid);
      const app = apps.find((a) => a.name === DEMO_APPLICATION_NAME) ?? apps[0];
      const numbers = await this.numbers.list(ADMIN, { account_sid: existing.sid });
      return {
        accountSid: existing.sid,
        applicationSid: app?.sid ?? '',
        number: numbers[0]?.number ?? DEMO_NUMBER,
        hookUrl: app?.messaging_hook?.url ?? null,
        created: false,
      };
    }
    const { sid: accountSid } = await this.accounts.create({ name: DEMO_ACCOUNT_NAME });
    const { token } = await this.apiKeys.create(ADMIN, accountSid);
    const { sid: applicationSid } = await this.applications.create(ADMIN, {
      name: DEMO_APPLICATION_NAME,
      account_sid: accountSid,
      messaging_hook: { url: DEMO_HOOK_URL, method: 'POST' },
    });
    await this.numbers.create(ADMIN, {
      number: DEMO_NUMBER,
      account_sid: accountSid,
      application_sid: applicationSid,
    });
    return {
      accountSid,
      applicationSid,
      number: DEMO_NUMBER,
      hookUrl: DEMO_HOOK_URL,
      apiKeyToken: token,
      created: true,
    };
  }
}

/** What the terminal shows: the demo, and the commands to try it, ready to paste. */
export function demoBanner(demo: DemoTenant, baseUrl: string): string {
  const token = demo.apiKeyToken ?? '<the API key shown at the first start>';
  const lines = [
    '',
    '==================================== Quickstart ====================================',
    demo.created
      ? 'A demo account was created. Its API key is shown this once: keep it.'
      : 'The demo account from an earlier start is still here (its API key was shown then).',
    '',
    `  account      ${demo.accountSid}`,
    ...(demo.apiKeyToken ? [`  API key      ${demo.apiKeyToken}`] : []),
    `  application  ${demo.applicationSid}   messaging webhook: ${demo.hookUrl ?? 'none'}`,
    `  number       ${demo.number}`,
    '',
    ...(demo.apiKeyToken
      ? []
      : [
          'A new API key for it, with the admin key (ADMIN_API_KEY, or data/admin-api-key when',
          '`npm start` made it):',
          `  curl -s -X POST ${baseUrl}/v1/ApiKeys -H "Authorization: Bearer $ADMIN_API_KEY" \\`,
          `    -H "Content-Type: application/json" -d '{"account_sid":"${demo.accountSid}"}'`,
          '',
        ]),
    'Try it (in another terminal):',
    '',
    '  # 1. The example application that answers each SMS with a reply:',
    '  node examples/echo-app/server.js',
    '',
    '  # 2. Send an SMS through the sandbox provider:',
    `  curl -s -X POST ${baseUrl}/v1/Accounts/${demo.accountSid}/Messages \\`,
    `    -H "Authorization: Bearer ${token}" -H "Content-Type: application/json" \\`,
    `    -d '{"from":"${demo.number}","to":"${DEMO_PHONE}","text":"Hello from the gateway"}'`,
    '',
    '  # 3. Simulate an inbound SMS to the demo number (the provider webhook):',
    `  curl -s -X POST ${baseUrl}/v1/messaging/sandbox -H "Content-Type: application/json" \\`,
    `    -d '{"from":"${DEMO_PHONE}","to":"${demo.number}","text":"Hi there"}'`,
    '',
    "  # 4. The message log, newest first: the inbound SMS, and the echo app's reply:",
    `  curl -s ${baseUrl}/v1/Accounts/${demo.accountSid}/Messages -H "Authorization: Bearer ${token}"`,
    '',
    `API documentation: ${baseUrl}/docs`,
    '====================================================================================',
    '',
  ];
  return lines.join('\n');
}
