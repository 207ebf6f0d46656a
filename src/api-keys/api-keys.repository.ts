import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ApiKeyEntity } from '../database/entities';

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly repo: Repository<ApiKeyEntity>) {}

  findByTokenHash(tokenHash: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOneBy({ token_hash: tokenHash });
  }

  findBySid(sid: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOneBy({ sid });
  }

  async insert(key: ApiKeyEntity): Promise<void> {
    await this.repo.insert(key);
  }

  async delete(sid: string): Promise<void> {
    await this.repo.delete({ sid });
  }

  listByAccount(accountSid?: string): Promise<ApiKeyEntity[]> {
    return this.repo.find({
      where: accountSid ? { account_sid: accountSid } : {},
      order: { created_at: 'ASC' },
    });
  }
}
