import type { Request } from 'express';

export interface Link {
  href: string;
  rel: 'self' | 'bookmark';
}

/**
 * The URL clients reach the service at: PUBLIC_URL when configured (behind
 * a proxy or ingress), otherwise the scheme and Host of the request, as
 * Ironic builds its links.
 */
export function baseUrl(request: Request, publicUrl: string | null): string {
  if (publicUrl) return publicUrl;
  const host = request.headers.host ?? '127.0.0.1';
  // What Express's req.protocol answers without "trust proxy", which the service never sets
  // (PUBLIC_URL is the way to name the address behind a proxy), without its settings lookup.
  const scheme = (request.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  return `${scheme}://${host}`;
}

/** Ironic's pair of links: self under /v1, bookmark without the version prefix. */
export function links(base: string, path: string): Link[] {
  return [
    { href: `${base}/v1/${path}`, rel: 'self' },
    { href: `${base}/${path}`, rel: 'bookmark' },
  ];
}
