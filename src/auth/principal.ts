import { ForbiddenException } from '@nestjs/common';

export type Principal = { kind: 'admin' } | { kind: 'account'; accountSid: string; keySid: string };

/** The one scoping rule: the admin reaches everything, an account key only its own account. */
export function assertAccountAccess(principal: Principal, accountSid: string): void {
  if (principal.kind === 'account' && principal.accountSid !== accountSid) {
    throw new ForbiddenException({ msg: 'this API key may not reach another account' });
  }
}

/** The account a list is limited to: undefined for the admin (every account). */
export function scopedAccountSid(principal: Principal): string | undefined {
  return principal.kind === 'account' ? principal.accountSid : undefined;
}
