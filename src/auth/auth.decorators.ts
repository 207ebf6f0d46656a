import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal } from './principal';

export const AUTH_SCOPE = 'authScope';
export type AuthScope = 'public' | 'admin' | 'account';

/** No bearer token needed (health, docs, provider webhooks). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(AUTH_SCOPE, 'public');
/** Only the ADMIN_API_KEY. */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(AUTH_SCOPE, 'admin');

export interface AuthenticatedRequest {
  principal?: Principal;
}

/** The caller, as the guard authenticated it. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => {
    const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
    return principal;
  },
);
