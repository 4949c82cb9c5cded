import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { invalid, PayloadTooLarge } from '../errors/ironic-errors';

export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Deeper JSON than this is refused before any code walks it recursively. */
export const MAX_JSON_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Ironic reads any body as JSON whatever its Content-Type, except form
 * encodings (curl -d sends those), which it refuses.
 */
function isFormContentType(type: string | undefined): boolean {
  const mediaType = type?.split(';')[0].trim().toLowerCase();
  return mediaType === 'application/x-www-form-urlencoded' || mediaType === 'multipart/form-data';
}

/** Depth of nested arrays/objects in a JSON text, counted without recursion. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/**
 * Reads JSON request bodies. Malformed, non-UTF-8, too deep, too large or
 * non-JSON bodies are refused with a 4xx in Ironic's envelope (Ironic itself
 * answers a malformed body with a 500).
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly limit = BODY_LIMIT_BYTES;

  use(request: Request, _response: Response, next: NextFunction): void {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return next();
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > this.limit) return next(PayloadTooLarge(`${this.limit} bytes`));

    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > this.limit) {
        failed = true;
        request.resume();
        next(PayloadTooLarge(`${this.limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('error', (error) => {
      if (!failed) {
        failed = true;
        next(invalid(`The request body could not be read: ${error.message}`));
      }
    });
    request.on('end', () => {
      if (failed) return;
      try {
        request.body = this.parse(Buffer.concat(chunks), request.headers['content-type']);
        next();
      } catch (error) {
        next(error);
      }
    });
  }

  private parse(raw: Buffer, contentType: string | undefined): unknown {
    // Ironic reads a request without a body as an empty JSON object.
    if (raw.length === 0) return {};
    if (isFormContentType(contentType)) {
      throw invalid(`The request body must be JSON (Content-Type: application/json), not ${contentType}.`);
    }
    let text: string;
    try {
      text = utf8.decode(raw);
    } catch {
      throw invalid('The request body is not valid UTF-8.');
    }
    if (jsonDepth(text) > MAX_JSON_DEPTH) {
      throw invalid(`The request body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw invalid(`The request body is not valid JSON: ${(error as Error).message}`);
    }
    const bad = loneSurrogateAt(body, '');
    if (bad !== null) {
      throw invalid(`The request body is not valid Unicode: ${bad || 'the body'} holds a lone surrogate (an unpaired \\uD800-\\uDFFF escape).`);
    }
    return body;
  }
}

/**
 * Where a JSON string escape left half of a UTF-16 pair ("\ud800"): text no
 * database stores as sent. The JSON Pointer of the first such string (or
 * key), or null.
 */
function loneSurrogateAt(value: unknown, path: string): string | null {
  if (typeof value === 'string') return wellFormed(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = loneSurrogateAt(value[i], `${path}/${i}`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (!wellFormed(key)) return `${path}/${key}`;
      const found = loneSurrogateAt(inner, `${path}/${key}`);
      if (found !== null) return found;
    }
  }
  return null;
}

/** No unpaired UTF-16 surrogate (String.prototype.isWellFormed, which this TypeScript target does not declare). */
const wellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
