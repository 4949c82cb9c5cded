import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG } from '../config/config.module';
import type { ServiceConfig } from '../config/config';
import { ResourceNotFound } from '../common/errors/ironic-errors';
import { Db } from '../common/db/db.service';
import { registry, watchPool } from './metrics';
import { metricsText } from './cluster-metrics';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: ServiceConfig,
    db: Db,
  ) {
    watchPool(() => db.poolStats());
  }

  @Get()
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    description: 'Request counts and latencies by route and status, database pool, power actions, powered-off refusals (METRICS_ENABLED); under WORKERS, summed over the workers.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Metrics in the Prometheus text format.', schema: { type: 'string' } })
  async metrics(@Res({ passthrough: true }) res: Response): Promise<string> {
    if (!this.config.metricsEnabled) throw ResourceNotFound();
    res.type(registry.contentType);
    return metricsText(this.config.workerSlot !== null);
  }
}
