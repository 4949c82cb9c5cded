import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { MinVersion } from '../../common/microversion/min-version.decorator';
import { MINOR_32_VOLUME } from '../../common/microversion/microversion';
import { VolumeResourceController } from '../shared/volume-resource.controller';
import { CreateTargetDto, TargetCollectionDto, TargetDto } from './dto/target.dto';
import { TargetService } from './target.service';
import { TARGET_KIND } from './target.kind';

@ApiTags('volume targets')
@Controller('v1/volume/targets')
@MinVersion(MINOR_32_VOLUME, 'framework')
export class TargetController extends VolumeResourceController({
  kind: TARGET_KIND,
  service: TargetService,
  noun: 'Target',
  dto: { item: TargetDto, collection: TargetCollectionDto, create: CreateTargetDto },
  describe: {
    list: 'Return a list of Volume targets for all nodes. By default, this query will return the UUID, node UUID, volume type, boot index, and volume ID for each Volume target.',
    create: 'Creates a new Volume target resource. This method requires a Node UUID, volume type, volume ID, and boot index.',
  },
  examples: {
    create: {
      iscsi: {
        summary: 'An iSCSI boot volume',
        value: { node_uuid: '6d85703a-565d-469a-96ce-30b6de53079d', volume_type: 'iscsi', boot_index: 0, volume_id: '04452bed-5367-4202-8bf5-de4335ac56d2' },
      },
    },
    patch: {
      replace: { summary: 'Change the volume ID', value: [{ op: 'replace', path: '/volume_id', value: '7211f7d3-3f32-4efc-b64e-9b8e92e64a8e' }] },
    },
  },
}) {}
