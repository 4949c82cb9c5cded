import { links } from '../../common/http/links';
import { etagOf } from '../../common/http/etag';
import type { ViewContext } from '../../common/http/view-context';
import { canViewSecrets, maskSecrets, REDACTED_PROPERTIES } from '../../auth/secrets';
import { Inject, Injectable } from '@nestjs/common';
import { VOLUME_KIND, VolumeKind, VolumeRow } from './volume-kind';

/**
 * How a connector or target looks on the wire: the fields asked for, in
 * Ironic's order, links, and the ETag of the row's version. Target
 * properties are masked for every caller, as Ironic masks them, and
 * replaced by Ironic's redaction notice for callers who may not see them.
 */
@Injectable()
export class VolumeView<Data> {
  constructor(@Inject(VOLUME_KIND) private readonly kind: VolumeKind<Data>) {}

  render(row: VolumeRow<Data>, ctx: ViewContext, fields: readonly string[] | null): Record<string, unknown> {
    const wanted = fields ? new Set(fields) : null;
    const view: Record<string, unknown> = {};
    const put = (field: string, value: () => unknown) => {
      if (!wanted || wanted.has(field)) view[field] = value();
    };
    put('uuid', () => row.uuid);
    put('created_at', () => row.created_at);
    put('updated_at', () => row.updated_at);
    for (const field of this.kind.data) {
      put(field.name, () => {
        const stored = (row as Record<string, unknown>)[field.name];
        if (!field.json) return stored;
        if (!this.kind.masked.includes(field.name)) return JSON.parse((stored as string) || '{}');
        return canViewSecrets(ctx.caller) ? maskSecrets(JSON.parse((stored as string) || '{}')) : REDACTED_PROPERTIES;
      });
    }
    view.links = links(ctx.base, `${this.kind.path}/${row.uuid}`);
    put('node_uuid', () => row.node_uuid);
    return view;
  }

  etag(row: { version: number; created_at: string }): string {
    return etagOf(row.version, row.created_at);
  }
}
