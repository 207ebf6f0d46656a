import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';

/** How long the database may take to answer a health check. */
const DATABASE_PING_TIMEOUT_MS = 3000;

const UP_EXAMPLE = {
  status: 'ok',
  info: { database: { status: 'up' } },
  error: {},
  details: { database: { status: 'up' } },
};
const DOWN_EXAMPLE = {
  status: 'error',
  info: {},
  details: { database: { status: 'down' } },
  msg: 'the database does not answer',
};

/**
 * Liveness (the process answers: restart it if not) and readiness (it can serve: the database
 * answers; send no traffic if not). `GET /health` is readiness, under its historical path.
 */
@ApiTags('Operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  @Get()
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: '200 when the gateway and its database answer (same as /health/ready)' })
  @ApiOkResponse({ schema: { example: UP_EXAMPLE } })
  @ApiServiceUnavailableResponse({ schema: { example: DOWN_EXAMPLE } })
  check(): Promise<HealthCheckResult> {
    return this.readiness();
  }

  @Get('live')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: 'Liveness: 200 while the process serves requests' })
  @ApiOkResponse({ schema: { example: { status: 'ok', info: {}, error: {}, details: {} } } })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: 200 when the database answers, else 503' })
  @ApiOkResponse({ schema: { example: UP_EXAMPLE } })
  @ApiServiceUnavailableResponse({ schema: { example: DOWN_EXAMPLE } })
  ready(): Promise<HealthCheckResult> {
    return this.readiness();
  }

  private async readiness(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: DATABASE_PING_TIMEOUT_MS }),
      ]);
    } catch (err) {
      if (err instanceof ServiceUnavailableException) {
        // Terminus's `error` map is left out: the same states are in `details`, and the
        // exception filter keeps `error` for Nest's own use.
        const { status, info, details } = err.getResponse() as Partial<HealthCheckResult>;
        throw new ServiceUnavailableException({
          status,
          info,
          details,
          msg: 'the database does not answer',
        });
      }
      throw err;
    }
  }
}
