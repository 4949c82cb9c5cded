import type { Type } from '@nestjs/common';
import type { DbErrorKind } from '../../common/db/db-errors';
import type { IronicError } from '../../common/errors/ironic-errors';
import type { CollectionSpec } from '../../common/collection/list-query';

/** The kind of volume resource a module serves: each kind's module binds it, and its repository, planner, view and events read it. */
export const VOLUME_KIND = Symbol('VOLUME_KIND');

/** JSON fields are objects on the wire and text in their columns. */
export type Stored<Data> = { [K in keyof Data]: Data[K] extends Record<string, unknown> ? string : Data[K] };

/** A connector or target row joined with what the service needs of its node. */
export type VolumeRow<Data> = Stored<Data> & {
  id: number;
  uuid: string;
  node_id: number;
  node_uuid: string;
  node_power_state: string | null;
  node_owner: string | null;
  node_lessee: string | null;
  version: number;
  created_at: string;
  updated_at: string | null;
};

/** A column the client writes; its wire name is its column name. */
export interface DataField<Data> {
  name: keyof Data & string;
  json?: boolean;
}

/** What distinguishes volume connectors from volume targets; everything else about them is shared. */
export interface VolumeKind<Data> {
  table: string;
  /** URL path below /v1, e.g. "volume/connectors". */
  path: string;
  /** "volume connector": names its actions ("volume connector update"). */
  label: string;
  /** Name in "Schema error for <name>: …". */
  schemaName: string;
  /** Name in "Expected UUID for <name>: …" for the path parameter. */
  uuidParam: string;
  dto: Type<object>;
  /** Data columns in the order Ironic writes them. */
  data: DataField<Data>[];
  collection: CollectionSpec;
  patchable: string[];
  /** JSON fields whose secret-looking keys only callers allowed to view target properties see. */
  masked: (keyof Data & string)[];
  notFound: (uuid: string) => IronicError;
  /** The unique key besides the UUID, which Ironic reports first when both are taken. */
  otherUniqueConstraint: string;
  otherUniqueColumns: string[];
  /** The 409 for a unique violation, or null when the violation is not this resource's. */
  conflict: (violation: DbErrorKind, data: Data, uuid: string) => IronicError | null;
}

/** The guarded actions' names, as Ironic words them in its refusals. */
export const changeAction = (kind: Pick<VolumeKind<unknown>, 'label'>, change: 'update' | 'deletion') =>
  `${kind.label} ${change}`;
