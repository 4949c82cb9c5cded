import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { IronicError } from '../common/errors/ironic-errors';
import { ErrorEnvelopeDto } from '../common/dto/error.dto';
import { HealthDto } from './health.dto';
import { ShutdownState } from '../observability/shutdown-state';
import { AuthenticationMiddleware } from '../auth/authentication.middleware';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly shutdown: ShutdownState,
    private readonly authentication: AuthenticationMiddleware,
  ) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  @HttpCode(200)
  @ApiOperation({ operationId: 'getLiveness', summary: 'Liveness probe', description: 'Answers 200 while the process serves requests.' })
  @ApiOkResponse({ type: HealthDto })
  live() {
    return { status: 'ok' };
  }

  /** Readiness: the database answers, its schema is current, and Keystone answers (AUTH_STRATEGY=keystone). */
  @Get('readyz')
  @ApiOperation({ operationId: 'getReadiness', summary: 'Readiness probe', description: 'Answers 200 when the database is reachable, no migration is pending and (with AUTH_STRATEGY=keystone) Keystone answers, else 503.' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: ErrorEnvelopeDto, description: 'Not ready.' })
  async ready() {
    if (this.shutdown.draining) throw new IronicError(503, 'Not ready: shutting down');
    try {
      await this.dataSource.query('SELECT 1');
      if (await this.dataSource.showMigrations()) throw new Error('migrations are pending');
    } catch (error) {
      throw new IronicError(503, `Not ready: ${(error as Error).message}`);
    }
    const identity = await this.authentication.readiness();
    if (identity) throw new IronicError(503, `Not ready: ${identity}`);
    return { status: 'ready' };
  }
}
