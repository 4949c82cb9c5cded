import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { loadConfig } from '../app.config';
import { buildOpenApiDocument } from '../openapi';
import { toYaml, sortKeysDeep } from '../common/openapi/serialize';

/** `npm run openapi`: writes openapi/openapi.json and .yaml from the code, keys sorted for reviewable diffs. */
async function main(): Promise<void> {
  const config = { ...loadConfig({}), database: { kind: 'better-sqlite3' as const, location: ':memory:', poolSize: 1, preparedStatements: false }, migrationsRun: false };
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: false, bodyParser: false });
  const document = sortKeysDeep(buildOpenApiDocument(app));
  const dir = join(__dirname, '..', '..', '..', 'openapi');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
  writeFileSync(join(dir, 'openapi.yaml'), toYaml(document));
  await app.close();
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
