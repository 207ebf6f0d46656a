import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ExpiringCache } from '../common/expiring-cache';
import { ApiKeyEntity } from '../database/entities';

/**
 * How long a key found by its hash is trusted without asking the database again. Every
 * authenticated request looks its key up; a revocation is seen at once by this process and within
 * this time by any other gateway process sharing the database.
 */
export const API_KEY_CACHE_TTL_MS = 5000;
/** Bounds the cache; beyond it the cache starts over rather than grow. */
const API_KEY_CACHE_MAX = 10_000;

@Injectable()
export class ApiKeysRepository {
  /** Token hash -> key; only keys that exist (unknown tokens are unbounded). */
  private readonly byHash = new ExpiringCache<ApiKeyEntity>(
    API_KEY_CACHE_TTL_MS,
    API_KEY_CACHE_MAX,
  );

  constructor(@InjectRepository(ApiKeyEntity) private readonly repo: Repository<ApiKeyEntity>) {}

  async findByTokenHash(tokenHash: string): Promise<ApiKeyEntity | null> {
    const hit = this.byHash.get(tokenHash);
    if (hit) return hit;
    const snapshot = this.byHash.snapshot();
    const key = await this.repo.findOneBy({ token_hash: tokenHash });
    if (key) this.byHash.set(tokenHash, key, snapshot);
    return key;
  }

  findBySid(sid: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOneBy({ sid });
  }

  async insert(key: ApiKeyEntity): Promise<void> {
    await this.repo.insert(key);
  }

  async delete(sid: string): Promise<void> {
    await this.repo.delete({ sid });
    this.forgetCached();
  }

  /** Drops every cached key; call after removing keys by any other path (an account deletion). */
  forgetCached(): void {
    this.byHash.clear();
  }

  listByAccount(accountSid?: string): Promise<ApiKeyEntity[]> {
    return this.repo.find({
      where: accountSid ? { account_sid: accountSid } : {},
      order: { created_at: 'ASC', sid: 'ASC' },
    });
  }
}
