import { Injectable } from '@nestjs/common';
import { VolumeResourceService } from '../shared/volume-resource.service';
import type { TargetData } from './target.kind';

/** The target resource: the shared behaviour of volume resources, bound to its kind by its module. */
@Injectable()
export class TargetService extends VolumeResourceService<TargetData> {}
