import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { LOGGER } from '../observability/logger';
import { bootScripts } from '../observability/metrics';
import { canonicalUuid } from '../common/validation/uuid';
import { BOOT_CONFIG, BootConfig } from './boot-config';
import { BootScripts } from './boot-scripts';
import { ROOT_SCRIPT } from './ipxe-script';

/**
 * The boot listener (BOOT_HTTP_PORT): plain HTTP on its own port, without
 * authentication (firmware cannot log in), serving nothing but boot
 * scripts: /boot.ipxe, pxelinux.cfg/<mac with hyphens>, and the failure
 * reports of the scripts. It never logs a script (they hold CHAP secrets).
 */
@Injectable()
export class BootListener implements OnApplicationBootstrap, OnModuleDestroy {
  private server: Server | null = null;

  constructor(
    private readonly scripts: BootScripts,
    @Inject(BOOT_CONFIG) private readonly config: BootConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The port it listens on (BOOT_HTTP_PORT=0 takes a free one), or null when off. */
  get port(): number | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.port === null) return;
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port!, this.config.host, () => resolve());
    });
    this.server = server;
    this.logger.info({ host: this.config.host, port: this.port, url: this.config.url }, 'boot listener');
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://boot');
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') return this.send(response, 405, 'only GET\n', 'other', 'refused');
      if (url.pathname === '/boot.ipxe') return this.send(response, 200, ROOT_SCRIPT, 'root', 'served');
      const perMac = /^\/pxelinux\.cfg\/([0-9a-fA-F-]{17})$/.exec(url.pathname);
      if (perMac) {
        const answer = await this.scripts.forMac(perMac[1]);
        if ('script' in answer) return this.send(response, 200, answer.script, 'node', 'served');
        this.logger.info({ mac: perMac[1], reason: answer.refused }, 'boot script refused');
        return this.send(response, 404, 'no boot script for this NIC\n', 'node', 'refused');
      }
      const report = /^\/report\/([0-9a-fA-F-]{36})$/.exec(url.pathname);
      const uuid = report ? canonicalUuid(report[1]) : null;
      if (uuid && (await this.scripts.report(uuid, url.searchParams.get('volume') ?? undefined, url.searchParams.get('errno') ?? undefined))) {
        return this.send(response, 200, '#!ipxe\n', 'report', 'served');
      }
      return this.send(response, 404, 'not found\n', report ? 'report' : 'other', 'unknown');
    } catch (error) {
      this.logger.error({ err: (error as Error).message, path: url.pathname }, 'boot listener failed');
      return this.send(response, 503, 'try again\n', 'other', 'failed');
    }
  }

  private send(response: ServerResponse, status: number, body: string, script: string, outcome: string): void {
    bootScripts.inc({ script, outcome });
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  }
}
