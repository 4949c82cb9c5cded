import { All, Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiExcludeEndpoint, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { MethodNotAllowed, MissingParameter } from '../common/errors/ironic-errors';
import type { Response } from 'express';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { View, ViewContext } from '../common/http/view-context';
import { MinVersion } from '../common/microversion/min-version.decorator';
import { MINOR_32_VOLUME } from '../common/microversion/microversion';
import { ApiErrors, ApiListQuery, ApiOp } from '../common/openapi/api-docs.decorators';
import { parseFields, parseListQuery, queryString } from '../common/collection/list-query';
import { PatchOperationDto } from '../common/json-patch/patch-operation.dto';
import { RequiresPoweredOffNode } from '../node/powered-off.guard';
import { CreateTargetDto, TargetCollectionDto, TargetDto } from './dto/target.dto';
import { TARGET_KIND, TargetService } from './target.service';
import { Policy } from '../auth/policy.guard';

const UUID = ApiParam({ name: 'uuid', description: 'UUID of the volume target.', schema: { type: 'string', format: 'uuid' } });
const ETAG = { ETag: { description: 'Version of the target, for If-Match.', schema: { type: 'string' } } };
const IF_MATCH = ApiHeader({ name: 'If-Match', required: false, description: 'Apply only if the target still has this ETag (else 412).' });

@ApiTags('volume targets')
@Controller('v1/volume/targets')
@MinVersion(MINOR_32_VOLUME, 'framework')
export class TargetController {
  constructor(
    private readonly targets: TargetService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Policy('baremetal:volume:get')
  @ApiOp('listVolumeTargets', 'List Volume Targets', 'Return a list of Volume targets for all nodes. By default, this query will return the UUID, node UUID, volume type, boot index, and volume ID for each Volume target.')
  @ApiListQuery({ node: true, sortKeys: TARGET_KIND.collection.sortable })
  @ApiOkResponse({ type: TargetCollectionDto })
  @ApiErrors(400, 404)
  list(@Query() query: Record<string, unknown>, @View() view: ViewContext) {
    return this.targets.list(parseListQuery(query, TARGET_KIND.collection, this.config.maxLimit), view);
  }

  @Post()
  @Policy('baremetal:volume:create')
  @ApiOp('createVolumeTarget', 'Create Volume Target', 'Creates a new Volume target resource. This method requires a Node UUID, volume type, volume ID, and boot index.')
  @ApiBody({
    type: CreateTargetDto,
    examples: {
      iscsi: {
        summary: 'An iSCSI boot volume',
        value: { node_uuid: '6d85703a-565d-469a-96ce-30b6de53079d', volume_type: 'iscsi', boot_index: 0, volume_id: '04452bed-5367-4202-8bf5-de4335ac56d2' },
      },
    },
  })
  @ApiCreatedResponse({ type: TargetDto, headers: { Location: { description: 'URL of the new target.', schema: { type: 'string' } } } })
  @ApiErrors(400, 404, 409, 413)
  async create(@Body() body: unknown, @View() view: ViewContext, @Res({ passthrough: true }) res: Response) {
    const target = await this.targets.create(body, view);
    res.location(`${view.base}/v1/volume/targets/${target.uuid}`);
    return target;
  }

  @Get(':uuid')
  @Policy('baremetal:volume:get')
  @UUID
  @ApiOp('showVolumeTarget', 'Show Volume Target Details', 'Show details for the given Volume target.')
  @ApiOkResponse({ type: TargetDto, headers: ETAG })
  @ApiErrors(400, 404)
  async show(
    @Param('uuid') uuid: string,
    @Query() query: Record<string, unknown>,
    @View() view: ViewContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const fields = parseFields(queryString(query, 'fields'), TARGET_KIND.collection) ?? null;
    const { body, etag } = await this.targets.show(uuid, fields, view);
    res.setHeader('ETag', etag);
    return body;
  }

  @Patch(':uuid')
  @Policy('baremetal:volume:update')
  @UUID
  @IF_MATCH
  @RequiresPoweredOffNode('volume target update')
  @ApiOp('updateVolumeTarget', 'Update a Volume Target', 'Update a Volume target. A Volume target can be updated only while a node associated with the Volume target is powered off.')
  @ApiBody({
    type: [PatchOperationDto],
    examples: {
      replace: { summary: 'Change the volume ID', value: [{ op: 'replace', path: '/volume_id', value: '7211f7d3-3f32-4efc-b64e-9b8e92e64a8e' }] },
    },
  })
  @ApiOkResponse({ type: TargetDto, headers: ETAG })
  @ApiErrors(400, 404, 409, 412, 413)
  async update(
    @Param('uuid') uuid: string,
    @Body() patch: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @View() view: ViewContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { body, etag } = await this.targets.update(uuid, patch, ifMatch, view);
    res.setHeader('ETag', etag);
    return body;
  }

  @Delete(':uuid')
  @Policy('baremetal:volume:delete')
  @HttpCode(204)
  @UUID
  @IF_MATCH
  @RequiresPoweredOffNode('volume target deletion')
  @ApiOp('deleteVolumeTarget', 'Delete Volume Target', 'Delete a Volume target. A Volume target can be deleted only while a node associated with the Volume target is powered off.')
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(400, 404, 409, 412)
  delete(
    @Param('uuid') uuid: string,
    @Headers('if-match') ifMatch: string | undefined,
    @View() view: ViewContext,
  ): Promise<void> {
    return this.targets.delete(uuid, ifMatch, view);
  }

  /** Other methods, answered as Ironic answers them (its collection routes take DELETE and PATCH and then miss the UUID). */
  @Delete()
  @ApiExcludeEndpoint()
  deleteCollection(): never {
    throw MissingParameter('target_uuid');
  }

  @Patch()
  @ApiExcludeEndpoint()
  patchCollection(): never {
    throw MissingParameter('target_uuid');
  }

  @All(['', ':uuid'])
  @ApiExcludeEndpoint()
  otherMethods(): never {
    throw MethodNotAllowed(['DELETE', 'GET', 'PATCH', 'POST']);
  }
}
