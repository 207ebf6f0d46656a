import type { ConfigService } from '@nestjs/config';
import type { AccountsService } from '../accounts/accounts.service';
import type { ApplicationEntity } from '../database/entities';
import { NUMBER_ROUTE_CACHE_TTL_MS, NumberRouteCache } from './number-route.cache';
import type { NumberAssignment, PhoneNumbersRepository } from './phone-numbers.repository';
import { PhoneNumbersService } from './phone-numbers.service';

const app = (sid: string, accountSid: string): ApplicationEntity => ({
  sid,
  account_sid: accountSid,
  name: sid,
  messaging_hook_url: `https://${sid}.example.com/sms`,
  messaging_hook_method: 'POST',
  messaging_hook_username: null,
  messaging_hook_password: null,
  created_at: '2025-01-01T00:00:00.000Z',
});

function setup(rows: NumberAssignment[]) {
  const assignments = jest.fn(async (numbers: string[]) =>
    rows.filter((r) => numbers.includes(r.number)),
  );
  const config = { getOrThrow: () => ({ defaultCountry: 'US' }) } as unknown as ConfigService;
  const service = new PhoneNumbersService(
    config,
    { assignments } as unknown as PhoneNumbersRepository,
    {} as AccountsService,
    new NumberRouteCache(),
  );
  return { service, assignments };
}

describe('PhoneNumbersService routing lookups', () => {
  afterEach(() => jest.useRealTimers());

  const rows: NumberAssignment[] = [
    { number: '15085550001', accountSid: 'acc-a', application: null },
    { number: '15085550002', accountSid: 'acc-b', application: app('app-b', 'acc-b') },
    { number: '15085550003', accountSid: 'acc-a', application: app('app-a', 'acc-a') },
  ];

  it('takes the first number in list order that has an application', async () => {
    const { service } = setup(rows);
    expect(await service.findRoute(['15085550001', '15085550003', '15085550002'])).toMatchObject({
      number: '15085550003',
      accountSid: 'acc-a',
      application: { sid: 'app-a' },
    });
    expect((await service.findRoute(['15085550002', '15085550003']))?.number).toBe('15085550002');
    expect(await service.findRoute(['15085550001', '19990000000'])).toBeUndefined();
  });

  it('answers repeated lookups, misses included, from memory until the TTL ends', async () => {
    jest.useFakeTimers({ now: 5_000_000 });
    const { service, assignments } = setup(rows);
    await service.findRoute(['19990000000', '15085550002']);
    await service.findRoute(['19990000000', '15085550002']);
    expect(await service.findOwner('15085550002')).toBe('acc-b');
    expect(await service.findOwner('19990000000')).toBeUndefined();
    expect(assignments).toHaveBeenCalledTimes(1);
    jest.setSystemTime(5_000_000 + NUMBER_ROUTE_CACHE_TTL_MS + 1);
    await service.findRoute(['15085550002']);
    expect(assignments).toHaveBeenCalledTimes(2);
  });

  it('asks the database again after forgetRoutes', async () => {
    const { service, assignments } = setup(rows);
    await service.findRoute(['15085550002']);
    service.forgetRoutes();
    await service.findRoute(['15085550002']);
    expect(assignments).toHaveBeenCalledTimes(2);
  });

  it('does not cache what it read while a write invalidated the cache', async () => {
    const { service, assignments } = setup(rows);
    let release!: (r: NumberAssignment[]) => void;
    assignments.mockImplementationOnce(
      () => new Promise<NumberAssignment[]>((resolve) => (release = resolve)),
    );
    const racing = service.findRoute(['15085550002']);
    service.forgetRoutes();
    release([]);
    expect(await racing).toBeUndefined();
    expect((await service.findRoute(['15085550002']))?.number).toBe('15085550002');
  });

  it('hands out copies, so a caller cannot change the cached application', async () => {
    const { service } = setup(rows);
    const first = await service.findRoute(['15085550002']);
    first!.application.messaging_hook_url = 'https://changed.example.com';
    const again = await service.findRoute(['15085550002']);
    expect(again?.application.messaging_hook_url).toBe('https://app-b.example.com/sms');
  });
});
