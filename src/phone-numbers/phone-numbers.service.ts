import {
  BadRequestException,
  Inject,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CountryCode } from 'libphonenumber-js';
import { AccountsService } from '../accounts/accounts.service';
import { assertAccountAccess, type Principal, scopedAccountSid } from '../auth/principal';
import { newSid } from '../common/ids';
import { normalizePhoneNumber } from '../common/phone-number';
import { nowIso } from '../common/time';
import { APP_CONFIG, type AppConfig } from '../config/environment';
import type { ApplicationEntity, PhoneNumberEntity } from '../database/entities';
import type { CreatePhoneNumberDto } from './dto/create-phone-number.dto';
import type { ListPhoneNumbersQueryDto } from './dto/list-phone-numbers-query.dto';
import type { PhoneNumberDto } from './dto/phone-number.dto';
import type { UpdatePhoneNumberDto } from './dto/update-phone-number.dto';
import { NumberRouteCache } from './number-route.cache';
import { type NumberAssignment, PhoneNumbersRepository } from './phone-numbers.repository';

/** Where an inbound message goes: the provisioned number it was sent to and its application. */
export interface NumberRoute {
  number: string;
  accountSid: string;
  application: ApplicationEntity;
}

const toDto = (n: PhoneNumberEntity): PhoneNumberDto => ({
  sid: n.sid,
  number: n.number,
  account_sid: n.account_sid,
  application_sid: n.application_sid,
  created_at: n.created_at,
});

const duplicate = (number: string): UnprocessableEntityException =>
  new UnprocessableEntityException({ msg: `number ${number} already exists` });

@Injectable()
export class PhoneNumbersService {
  private readonly defaultCountry: CountryCode;

  constructor(
    @Inject(ConfigService) config: ConfigService,
    private readonly numbers: PhoneNumbersRepository,
    private readonly accounts: AccountsService,
    private readonly routes: NumberRouteCache,
  ) {
    this.defaultCountry = config.getOrThrow<AppConfig>(APP_CONFIG).defaultCountry;
  }

  async create(principal: Principal, dto: CreatePhoneNumberDto): Promise<{ sid: string }> {
    const number = this.normalize(dto.number);
    await this.accounts.assertUsable(principal, dto.account_sid);
    if (dto.application_sid) await this.assertAssignable(dto.application_sid, dto.account_sid);
    if (await this.numbers.findByNumber(number)) throw duplicate(number);
    const sid = newSid();
    try {
      const result = await this.numbers.insert({
        sid,
        number,
        account_sid: dto.account_sid,
        application_sid: dto.application_sid ?? null,
        created_at: nowIso(),
      });
      if (result === 'duplicate-number') throw duplicate(number);
    } finally {
      this.routes.clear();
    }
    return { sid };
  }

  async list(principal: Principal, query: ListPhoneNumbersQueryDto): Promise<PhoneNumberDto[]> {
    if (query.account_sid) assertAccountAccess(principal, query.account_sid);
    const rows = await this.numbers.list({
      accountSid: query.account_sid ?? scopedAccountSid(principal),
      applicationSid: query.application_sid,
    });
    return rows.map(toDto);
  }

  async get(principal: Principal, sid: string): Promise<PhoneNumberDto> {
    return toDto(await this.reachable(principal, sid));
  }

  async update(
    principal: Principal,
    sid: string,
    dto: UpdatePhoneNumberDto,
  ): Promise<PhoneNumberDto> {
    const current = await this.reachable(principal, sid);
    if (dto.account_sid !== undefined && dto.account_sid !== current.account_sid) {
      throw new UnprocessableEntityException({
        msg: 'a phone number cannot move to another account; delete it and provision it there',
      });
    }
    const patch: Partial<Pick<PhoneNumberEntity, 'number' | 'application_sid'>> = {};
    if (dto.number !== undefined) {
      const number = this.normalize(dto.number);
      if (number !== current.number) {
        const other = await this.numbers.findByNumber(number);
        if (other) throw duplicate(number);
        patch.number = number;
      }
    }
    if (dto.application_sid !== undefined) {
      if (dto.application_sid !== null) {
        await this.assertAssignable(dto.application_sid, current.account_sid);
      }
      patch.application_sid = dto.application_sid;
    }
    if (Object.keys(patch).length > 0) {
      try {
        const result = await this.numbers.update(sid, patch);
        if (result === 'duplicate-number') throw duplicate(patch.number ?? current.number);
      } finally {
        this.routes.clear();
      }
    }
    return toDto({ ...current, ...patch });
  }

  async delete(principal: Principal, sid: string): Promise<void> {
    await this.reachable(principal, sid);
    try {
      await this.numbers.delete(sid);
    } finally {
      this.routes.clear();
    }
  }

  /**
   * The route of an inbound message: the first of `numbers` (normalised; to, then cc) that is
   * provisioned and assigned to an application. Numbers without an application are passed over.
   * Answers from memory for NUMBER_ROUTE_CACHE_TTL_MS after a lookup.
   */
  async findRoute(numbers: string[]): Promise<NumberRoute | undefined> {
    const assignments = await this.assignmentsOf(numbers);
    for (const number of numbers) {
      const a = assignments.get(number);
      if (a?.application) {
        return { number: a.number, accountSid: a.accountSid, application: { ...a.application } };
      }
    }
    return undefined;
  }

  /** The account that owns a normalised number, or undefined when it is not provisioned. */
  async findOwner(number: string): Promise<string | undefined> {
    return (await this.assignmentsOf([number])).get(number)?.accountSid;
  }

  /** Forgets every cached route; for changes to applications, which routes carry. */
  forgetRoutes(): void {
    this.routes.clear();
  }

  private async assignmentsOf(numbers: string[]): Promise<Map<string, NumberAssignment>> {
    const found = new Map<string, NumberAssignment>();
    const missing: string[] = [];
    for (const number of new Set(numbers)) {
      const cached = this.routes.get(number);
      if (cached === undefined) missing.push(number);
      else if (cached) found.set(number, cached);
    }
    if (missing.length === 0) return found;
    const snapshot = this.routes.snapshot();
    const rows = await this.numbers.assignments(missing);
    const byNumber = new Map(rows.map((r) => [r.number, r]));
    for (const number of missing) {
      const a = byNumber.get(number) ?? null;
      this.routes.set(number, a, snapshot);
      if (a) found.set(number, a);
    }
    return found;
  }

  private normalize(input: string): string {
    const number = normalizePhoneNumber(input, this.defaultCountry);
    if (!number) throw new BadRequestException({ msg: `number "${input}" is not a phone number` });
    return number;
  }

  private async assertAssignable(applicationSid: string, accountSid: string): Promise<void> {
    const owner = await this.numbers.applicationAccount(applicationSid);
    if (owner === undefined) {
      throw new UnprocessableEntityException({
        msg: `application_sid ${applicationSid} is not an existing application`,
      });
    }
    if (owner !== accountSid) {
      throw new UnprocessableEntityException({
        msg: `application ${applicationSid} belongs to another account than the number`,
      });
    }
  }

  private async reachable(principal: Principal, sid: string): Promise<PhoneNumberEntity> {
    const n = await this.numbers.findBySid(sid);
    if (!n) throw new NotFoundException({ msg: `phone number ${sid} not found` });
    assertAccountAccess(principal, n.account_sid);
    return n;
  }
}
