import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { ApplicationEntity, PhoneNumberEntity } from '../database/entities';

export type ApplicationPatch = Partial<
  Pick<
    ApplicationEntity,
    | 'name'
    | 'messaging_hook_url'
    | 'messaging_hook_method'
    | 'messaging_hook_username'
    | 'messaging_hook_password'
  >
>;

@Injectable()
export class ApplicationsRepository {
  constructor(
    @InjectRepository(ApplicationEntity) private readonly repo: Repository<ApplicationEntity>,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async insert(app: ApplicationEntity): Promise<void> {
    await this.repo.insert(app);
  }

  findBySid(sid: string): Promise<ApplicationEntity | null> {
    return this.repo.findOneBy({ sid });
  }

  list(accountSid?: string): Promise<ApplicationEntity[]> {
    return this.repo.find({
      where: accountSid ? { account_sid: accountSid } : {},
      order: { created_at: 'ASC', sid: 'ASC' },
    });
  }

  async update(sid: string, patch: ApplicationPatch): Promise<void> {
    await this.repo.update({ sid }, patch);
  }

  /**
   * Deletes the application in one transaction unless phone numbers are still assigned to it;
   * then nothing changes and their count comes back.
   */
  async deleteUnlessRouted(sid: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const numbers = await tx.getRepository(PhoneNumberEntity).countBy({ application_sid: sid });
      if (numbers === 0) await tx.getRepository(ApplicationEntity).delete({ sid });
      return numbers;
    });
  }
}
