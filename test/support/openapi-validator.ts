import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Document = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
};

export const OPENAPI_FILE = join(__dirname, '..', '..', 'openapi', 'openapi.json');

/**
 * Checks HTTP answers against the committed OpenAPI document: the operation
 * must exist, the status must be documented for it, and a JSON body must
 * match that status's schema. So a response the document does not describe
 * fails the test that got it.
 */
export class OpenApiValidator {
  private readonly document: Document;
  private readonly ajv: Ajv;
  private readonly routes: Array<{ method: string; template: string; pattern: RegExp }>;
  private readonly compiled = new Map<string, ValidateFunction>();
  validated = 0;

  constructor(file = OPENAPI_FILE) {
    this.document = JSON.parse(readFileSync(file, 'utf8'));
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ components: this.document.components }, 'openapi');
    this.routes = Object.entries(this.document.paths).flatMap(([template, item]) =>
      Object.keys(item).map((method) => ({
        method,
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
      })),
    );
  }

  /** Returns a description of what is wrong, or null when the answer is documented. */
  check(method: string, url: string, status: number, contentType: string | undefined, body: unknown): string | null {
    // Only the query and fragment are cut: URL parsing would resolve dot segments (/v1/%2e -> /v1),
    // which the service does not do.
    let path = url.split(/[?#]/)[0];
    // The service serves /v1/… paths ending in .json as the path without it, as Ironic does.
    if (path.startsWith('/v1/') && path.endsWith('.json')) path = path.slice(0, -'.json'.length);
    if (path === '/docs' || path.startsWith('/docs/') || path === '/openapi.json') return null;
    const candidates = this.routes.filter((r) => r.pattern.test(path));
    const route =
      candidates.find((r) => r.method === method.toLowerCase()) ??
      null;
    if (!route) {
      // A request no operation takes (unknown path or method) gets an error in the envelope: 404, or the
      // 4xx of a check that runs before routing (version header, body).
      if ([400, 403, 404, 405, 406, 413].includes(status)) return this.validateSchema('ErrorEnvelopeDto', body, `${method} ${path}`);
      return `${method} ${path} answered ${status}, but the document has no such operation`;
    }
    const responses = this.document.paths[route.template][route.method].responses;
    const response = responses[String(status)] ?? responses.default;
    if (!response) return `${method} ${route.template} answered ${status}, which the document does not list (${Object.keys(responses).join(', ')})`;
    const schema = response.content?.['application/json']?.schema;
    if (!schema) {
      if (body !== undefined && body !== null && body !== '' && !(typeof body === 'object' && Object.keys(body as object).length === 0)) {
        return `${method} ${route.template} ${status} has a body, but the document describes none`;
      }
      this.validated++;
      return null;
    }
    if (!contentType?.startsWith('application/json')) return `${method} ${route.template} ${status} is not JSON (${contentType})`;
    const key = `${route.method} ${route.template} ${status}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(this.rebase(schema) as object);
      this.compiled.set(key, validate);
    }
    if (!validate(body)) return `${key}: ${this.ajv.errorsText(validate.errors)} in ${JSON.stringify(body).slice(0, 300)}`;
    this.validated++;
    return null;
  }

  private validateSchema(name: string, body: unknown, what: string): string | null {
    const validate = this.ajv.compile({ $ref: `openapi#/components/schemas/${name}` });
    if (!validate(body)) return `${what}: ${this.ajv.errorsText(validate.errors)}`;
    this.validated++;
    return null;
  }

  /** Points the document's local $refs at the schema registered as "openapi". */
  private rebase(schema: unknown): unknown {
    return JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi#/components/'));
  }
}
