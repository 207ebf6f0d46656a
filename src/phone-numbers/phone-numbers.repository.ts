import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, QueryFailedError, type Repository } from 'typeorm';
import { ApplicationEntity, PhoneNumberEntity } from '../database/entities';

/** A provisioned number, its account, and its application when it has one that exists. */
export interface NumberAssignment {
  number: string;
  accountSid: string;
  application: ApplicationEntity | null;
}

/** A unique index refused the write, on either engine. */
function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const code = (err.driverError as { code?: unknown } | undefined)?.code;
  // PostgreSQL's unique_violation, or better-sqlite3's constraint codes.
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export type WriteResult = 'ok' | 'duplicate-number';

@Injectable()
export class PhoneNumbersRepository {
  constructor(
    @InjectRepository(PhoneNumberEntity) private readonly repo: Repository<PhoneNumberEntity>,
    @InjectRepository(ApplicationEntity)
    private readonly applications: Repository<ApplicationEntity>,
  ) {}

  /** 'duplicate-number' when the number is already provisioned, even by a concurrent insert. */
  async insert(entity: PhoneNumberEntity): Promise<WriteResult> {
    try {
      await this.repo.insert(entity);
      return 'ok';
    } catch (err) {
      if (isUniqueViolation(err)) return 'duplicate-number';
      throw err;
    }
  }

  async update(
    sid: string,
    patch: Partial<Pick<PhoneNumberEntity, 'number' | 'application_sid'>>,
  ): Promise<WriteResult> {
    try {
      await this.repo.update({ sid }, patch);
      return 'ok';
    } catch (err) {
      if (isUniqueViolation(err)) return 'duplicate-number';
      throw err;
    }
  }

  async delete(sid: string): Promise<void> {
    await this.repo.delete({ sid });
  }

  findBySid(sid: string): Promise<PhoneNumberEntity | null> {
    return this.repo.findOneBy({ sid });
  }

  findByNumber(number: string): Promise<PhoneNumberEntity | null> {
    return this.repo.findOneBy({ number });
  }

  list(filter: { accountSid?: string; applicationSid?: string }): Promise<PhoneNumberEntity[]> {
    return this.repo.find({
      where: {
        ...(filter.accountSid ? { account_sid: filter.accountSid } : {}),
        ...(filter.applicationSid ? { application_sid: filter.applicationSid } : {}),
      },
      order: { created_at: 'ASC', sid: 'ASC' },
    });
  }

  /** The account an application belongs to, to check a number is assigned within one account. */
  async applicationAccount(applicationSid: string): Promise<string | undefined> {
    const app = await this.applications.findOne({
      where: { sid: applicationSid },
      select: { sid: true, account_sid: true },
    });
    return app?.account_sid;
  }

  /** The assignments of those numbers that are provisioned, in two indexed queries. */
  async assignments(numbers: string[]): Promise<NumberAssignment[]> {
    if (numbers.length === 0) return [];
    const rows = await this.repo.find({
      where: { number: In(numbers) },
      select: { number: true, account_sid: true, application_sid: true },
    });
    const appSids = [
      ...new Set(rows.flatMap((r) => (r.application_sid ? [r.application_sid] : []))),
    ];
    const apps = appSids.length === 0 ? [] : await this.applications.findBy({ sid: In(appSids) });
    const bySid = new Map(apps.map((a) => [a.sid, a]));
    return rows.map((r) => {
      const app = r.application_sid ? bySid.get(r.application_sid) : undefined;
      return {
        number: r.number,
        accountSid: r.account_sid,
        // An application of another account never receives this number's messages.
        application: app && app.account_sid === r.account_sid ? app : null,
      };
    });
  }
}
