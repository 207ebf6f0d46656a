import type { Repository } from 'typeorm';
import type { ApiKeyEntity } from '../database/entities';
import { API_KEY_CACHE_TTL_MS, ApiKeysRepository } from './api-keys.repository';

const KEY: ApiKeyEntity = {
  sid: 'k1',
  account_sid: 'a1',
  token_hash: 'h1',
  created_at: '2025-01-01T00:00:00.000Z',
  last_used_at: null,
};

function setup() {
  const typeorm = {
    findOneBy: jest.fn(async ({ token_hash }: { token_hash: string }) =>
      token_hash === 'h1' ? KEY : null,
    ),
    delete: jest.fn(async () => ({ affected: 1, raw: [] })),
  };
  const repo = new ApiKeysRepository(typeorm as unknown as Repository<ApiKeyEntity>);
  return { repo, typeorm };
}

describe('ApiKeysRepository key cache', () => {
  afterEach(() => jest.useRealTimers());

  it('answers a known key from memory until the TTL ends', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const { repo, typeorm } = setup();
    expect(await repo.findByTokenHash('h1')).toBe(KEY);
    expect(await repo.findByTokenHash('h1')).toBe(KEY);
    expect(typeorm.findOneBy).toHaveBeenCalledTimes(1);
    jest.setSystemTime(1_000_000 + API_KEY_CACHE_TTL_MS + 1);
    expect(await repo.findByTokenHash('h1')).toBe(KEY);
    expect(typeorm.findOneBy).toHaveBeenCalledTimes(2);
  });

  it('does not cache unknown tokens', async () => {
    const { repo, typeorm } = setup();
    expect(await repo.findByTokenHash('nope')).toBeNull();
    expect(await repo.findByTokenHash('nope')).toBeNull();
    expect(typeorm.findOneBy).toHaveBeenCalledTimes(2);
  });

  it('forgets a deleted key at once', async () => {
    const { repo, typeorm } = setup();
    await repo.findByTokenHash('h1');
    typeorm.findOneBy.mockResolvedValue(null);
    await repo.delete('k1');
    expect(await repo.findByTokenHash('h1')).toBeNull();
  });

  it('does not cache a key read while it was being deleted', async () => {
    const { repo, typeorm } = setup();
    let release!: (k: ApiKeyEntity) => void;
    typeorm.findOneBy.mockImplementationOnce(
      () => new Promise<ApiKeyEntity>((resolve) => (release = resolve)),
    );
    const racing = repo.findByTokenHash('h1');
    await repo.delete('k1');
    release(KEY);
    expect(await racing).toBe(KEY);
    typeorm.findOneBy.mockResolvedValue(null);
    expect(await repo.findByTokenHash('h1')).toBeNull();
  });
});
