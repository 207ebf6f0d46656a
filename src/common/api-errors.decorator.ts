import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 422 | 502 | 503;

const DEFAULT_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'A malformed sid, body or query; the msg names the field',
  401: 'No bearer token, or one that is not a valid API key',
  403: 'An account key reaching another account, or a call that needs the admin key',
  404: 'No resource with that sid',
  409: 'The request conflicts with the current state',
  422: 'The request is well formed but cannot be carried out; the msg says why',
  502: 'An upstream service failed',
  503: 'The service is not available',
};

/**
 * Documents the JSON `{msg}` error answers of an operation. Give a status `true` for its usual
 * description, or a string saying what it means for this operation.
 */
export function ApiErrors(
  statuses: Partial<Record<ErrorStatus, string | true>>,
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...Object.entries(statuses).map(([status, description]) => {
      const code = Number(status) as ErrorStatus;
      return ApiResponse({
        status: code,
        type: ErrorResponseDto,
        description: description === true ? DEFAULT_DESCRIPTIONS[code] : description,
      });
    }),
  );
}
