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
import { ConnectorCollectionDto, ConnectorDto, CreateConnectorDto } from './dto/connector.dto';
import { CONNECTOR_KIND, ConnectorService } from './connector.service';
import { Policy } from '../auth/policy.guard';

const UUID = ApiParam({ name: 'uuid', description: 'UUID of the volume connector.', schema: { type: 'string', format: 'uuid' } });
const ETAG = { ETag: { description: 'Version of the connector, for If-Match.', schema: { type: 'string' } } };
const IF_MATCH = ApiHeader({ name: 'If-Match', required: false, description: 'Apply only if the connector still has this ETag (else 412).' });

@ApiTags('volume connectors')
@Controller('v1/volume/connectors')
@MinVersion(MINOR_32_VOLUME, 'framework')
export class ConnectorController {
  constructor(
    private readonly connectors: ConnectorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Policy('baremetal:volume:get')
  @ApiOp('listVolumeConnectors', 'List Volume Connectors', 'Return a list of Volume connectors for all nodes. By default, this query will return the UUID, node UUID, type, and connector ID for each Volume connector.')
  @ApiListQuery({ node: true, sortKeys: CONNECTOR_KIND.collection.sortable })
  @ApiOkResponse({ type: ConnectorCollectionDto })
  @ApiErrors(400, 404)
  list(@Query() query: Record<string, unknown>, @View() view: ViewContext) {
    return this.connectors.list(parseListQuery(query, CONNECTOR_KIND.collection, this.config.maxLimit), view);
  }

  @Post()
  @Policy('baremetal:volume:create')
  @ApiOp('createVolumeConnector', 'Create Volume Connector', 'Creates a new Volume connector resource. This method requires a Node UUID, a connector type and a connector ID.')
  @ApiBody({
    type: CreateConnectorDto,
    examples: {
      iqn: {
        summary: 'An iSCSI initiator',
        value: { node_uuid: '6d85703a-565d-469a-96ce-30b6de53079d', type: 'iqn', connector_id: 'iqn.2017-07.org.openstack:01:d9a51732c3f' },
      },
    },
  })
  @ApiCreatedResponse({ type: ConnectorDto, headers: { Location: { description: 'URL of the new connector.', schema: { type: 'string' } } } })
  @ApiErrors(400, 404, 409, 413)
  async create(@Body() body: unknown, @View() view: ViewContext, @Res({ passthrough: true }) res: Response) {
    const connector = await this.connectors.create(body, view);
    res.location(`${view.base}/v1/volume/connectors/${connector.uuid}`);
    return connector;
  }

  @Get(':uuid')
  @Policy('baremetal:volume:get')
  @UUID
  @ApiOp('showVolumeConnector', 'Show Volume Connector Details', 'Show details for the given Volume connector.')
  @ApiOkResponse({ type: ConnectorDto, headers: ETAG })
  @ApiErrors(400, 404)
  async show(
    @Param('uuid') uuid: string,
    @Query() query: Record<string, unknown>,
    @View() view: ViewContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const fields = parseFields(queryString(query, 'fields'), CONNECTOR_KIND.collection) ?? null;
    const { body, etag } = await this.connectors.show(uuid, fields, view);
    res.setHeader('ETag', etag);
    return body;
  }

  @Patch(':uuid')
  @Policy('baremetal:volume:update')
  @UUID
  @IF_MATCH
  @RequiresPoweredOffNode('volume connector update')
  @ApiOp('updateVolumeConnector', 'Update a Volume Connector', 'Update a Volume connector. A Volume connector can be updated only while a node associated with the Volume connector is powered off.')
  @ApiBody({
    type: [PatchOperationDto],
    examples: {
      replace: { summary: 'Change the connector ID', value: [{ op: 'replace', path: '/connector_id', value: 'iqn.2017-07.org.openstack:02:10190a4153e' }] },
    },
  })
  @ApiOkResponse({ type: ConnectorDto, headers: ETAG })
  @ApiErrors(400, 404, 409, 412, 413)
  async update(
    @Param('uuid') uuid: string,
    @Body() patch: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @View() view: ViewContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { body, etag } = await this.connectors.update(uuid, patch, ifMatch, view);
    res.setHeader('ETag', etag);
    return body;
  }

  @Delete(':uuid')
  @Policy('baremetal:volume:delete')
  @HttpCode(204)
  @UUID
  @IF_MATCH
  @RequiresPoweredOffNode('volume connector deletion')
  @ApiOp('deleteVolumeConnector', 'Delete Volume Connector', 'Delete a Volume connector. A Volume connector can be deleted only while a node associated with the Volume connector is powered off.')
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(400, 404, 409, 412)
  delete(
    @Param('uuid') uuid: string,
    @Headers('if-match') ifMatch: string | undefined,
    @View() view: ViewContext,
  ): Promise<void> {
    return this.connectors.delete(uuid, ifMatch, view);
  }

  /** Other methods, answered as Ironic answers them (its collection routes take DELETE and PATCH and then miss the UUID). */
  @Delete()
  @ApiExcludeEndpoint()
  deleteCollection(): never {
    throw MissingParameter('connector_uuid');
  }

  @Patch()
  @ApiExcludeEndpoint()
  patchCollection(): never {
    throw MissingParameter('connector_uuid');
  }

  @All(['', ':uuid'])
  @ApiExcludeEndpoint()
  otherMethods(): never {
    throw MethodNotAllowed(['DELETE', 'GET', 'PATCH', 'POST']);
  }
}
