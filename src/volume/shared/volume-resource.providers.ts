import type { Provider } from '@nestjs/common';
import { VOLUME_KIND, VolumeKind } from './volume-kind';
import { VolumeRepository } from './volume.repository';
import { VolumeView } from './volume.view';
import { VolumePlanner } from './volume-change.plan';
import { VolumeEvents } from './volume-events';

/** What a volume resource's module provides besides its service: its kind, and the repository, view, planner and events bound to it. */
export const volumeResourceProviders = <Data>(kind: VolumeKind<Data>): Provider[] => [
  { provide: VOLUME_KIND, useValue: kind },
  VolumeRepository,
  VolumeView,
  VolumePlanner,
  VolumeEvents,
];
