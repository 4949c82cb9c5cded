import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { setUpApp } from '../../src/app.setup';
import { JsonReplyAdapter } from '../../src/common/http/json-reply.adapter';
import { AppConfig, loadConfig } from '../../src/app.config';
import { dropTables } from '../../bench/seed-direct';
import { OpenApiValidator } from './openapi-validator';
import { appendFileSync, mkdirSync } from 'node:fs';

export interface TestApp {
  app: INestApplication;
  dataSource: DataSource;
  config: AppConfig;
  /** HTTP calls against the app; the version header defaults to 1.32. */
  call: (method: string, path: string, options?: CallOptions) => Promise<request.Response>;
  /** Rows of a table as stored. */
  rows: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
  /** Every 5xx answered so far: each is a bug. */
  serverErrors: string[];
  /** Every answer the OpenAPI document does not describe. */
  contractErrors: string[];
  close: () => Promise<void>;
}

export interface CallOptions {
  body?: unknown;
  /** Raw request body, sent as is. */
  raw?: string | Buffer;
  version?: string | null;
  headers?: Record<string, string>;
}

/** Empties a shared server database so each test file starts from a clean schema. */
export const resetDatabase = dropTables;

export async function createTestApp(database: string, overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  let dir: string | null = null;
  let url = database;
  if (database === 'sqlite') {
    dir = mkdtempSync(join(tmpdir(), 'ironvol-test-'));
    url = `sqlite:${join(dir, 'ironvol.sqlite')}`;
  } else {
    await resetDatabase(url);
  }
  const config: AppConfig = { ...loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'error' }), ...overrides };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication(new JsonReplyAdapter(), { bodyParser: false, logger: ['fatal'] });
  setUpApp(app);
  await app.init();
  const dataSource = app.get(DataSource);
  const serverErrors: string[] = [];
  const contractErrors: string[] = [];
  const validator = sharedValidator();

  const call = async (method: string, path: string, options: CallOptions = {}) => {
    let req = request(app.getHttpServer())[method.toLowerCase() as 'get'](path);
    const version = options.version === undefined ? '1.32' : options.version;
    if (version !== null) req = req.set('X-OpenStack-Ironic-API-Version', version);
    for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
    if (options.raw !== undefined) req = req.send(options.raw);
    else if (options.body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(options.body));
    const response = await req;
    if (response.status >= 500) serverErrors.push(`${method} ${path} -> ${response.status} ${response.text}`);
    const problem = validator.check(method, path, response.status, response.headers['content-type'], response.body);
    if (problem) contractErrors.push(problem);
    return response;
  };

  return {
    app,
    dataSource,
    config,
    call,
    rows: (sql, params = []) => dataSource.query(sql.replace(/\?/g, (() => { let n = 0; return () => (dataSource.options.type === 'postgres' ? `$${++n}` : '?'); })()), params),
    serverErrors,
    contractErrors,
    close: async () => {
      reportValidated();
      await app.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The decoded inner document of an Ironic error body. */
export function fault(response: request.Response): { faultstring?: string; faultcode?: string; description?: string; code?: number } {
  return JSON.parse(response.body.error_message);
}

let validator: OpenApiValidator | null = null;
let reported = 0;

function sharedValidator(): OpenApiValidator {
  validator ??= new OpenApiValidator();
  return validator;
}

/** Appends how many answers were checked against the document to test/artifacts/openapi-validated.log. */
function reportValidated(): void {
  if (!validator) return;
  const dir = join(__dirname, '..', 'artifacts');
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, 'openapi-validated.log'), `${expect.getState().testPath}\t${validator.validated - reported}\n`);
  reported = validator.validated;
}

/**
 * A suite's app: created before its tests, checked and closed after them
 * (no 5xx, every answer described by the OpenAPI document). The returned
 * object stands for the app once it exists.
 */
export function useTestApp(database: string, overrides: Partial<AppConfig> = {}): TestApp {
  let current: TestApp | undefined;
  beforeAll(async () => {
    current = await createTestApp(database, overrides);
  });
  afterAll(async () => {
    if (!current) return;
    expect(current.serverErrors).toEqual([]);
    expect(current.contractErrors).toEqual([]);
    await current.close();
  });
  return new Proxy({} as TestApp, {
    get: (_target, key) => {
      if (!current) throw new Error('the test app is not created yet');
      return current[key as keyof TestApp];
    },
  });
}
