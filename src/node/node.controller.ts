import { All, Body, Controller, Delete, Get, Headers, HttpCode, Patch, Post, Put, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiExcludeEndpoint, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { View, ViewContext } from '../common/http/view-context';
import { ApiErrors, ApiListQuery, ApiNodeListFilters, ApiOp } from '../common/openapi/api-docs.decorators';
import { CreateNodeDto, NodeCollectionDto, NodeDto, NodeStatesDto, SetPowerStateDto, SetProvisionStateDto } from './dto/node.dto';
import { NodeService } from './node.service';
import { NodeActionsService } from './node-actions.service';
import { NODE_COLLECTION, NodeListRequest } from './node-list-query';
import { nodeDeleteArgs, nodeListArgs, nodePatchArgs, nodeShowArgs, nodeStatesArgs, PowerArgs, powerArgs, provisionArgs } from './node-args';
import { Args } from '../common/http/args.decorator';
import type { PatchOp } from '../common/json-patch/json-patch';
import { PatchOperationDto } from '../common/json-patch/patch-operation.dto';
import { MethodNotAllowed, MissingParameter } from '../common/errors/ironic-errors';
import { Policy } from '../auth/policy.guard';

const NODE_IDENT = ApiParam({ name: 'node_ident', description: 'UUID or name of the node.', schema: { type: 'string' } });
const ETAG = { ETag: { description: 'Version of the node, for If-Match.', schema: { type: 'string' } } };
const ACCEPTED = ApiResponse({ status: 202, description: 'Accepted; poll the states.', headers: { Location: { description: 'URL of the node states.', schema: { type: 'string' } } } });
const IF_MATCH = ApiHeader({ name: 'If-Match', required: false, description: 'Apply only if the node still has this ETag (else 412).' });

@ApiTags('nodes')
@Controller('v1/nodes')
export class NodeController {
  constructor(
    private readonly nodes: NodeService,
    private readonly actions: NodeActionsService,
  ) {}

  @Get()
  @Policy('baremetal:node:get')
  @ApiOp('listNodes', 'List nodes', 'Lists nodes; by default uuid, name, instance_uuid, power_state, provision_state and maintenance.')
  @ApiListQuery({ sortKeys: NODE_COLLECTION.sortable })
  @ApiNodeListFilters()
  @ApiOkResponse({ type: NodeCollectionDto })
  @ApiErrors(400, 404, 406)
  list(@Args(nodeListArgs(false)) request: NodeListRequest, @View() view: ViewContext) {
    return this.nodes.list(request, view);
  }

  @Get('detail')
  @Policy('baremetal:node:get')
  @ApiOp('listNodesDetail', 'List nodes with details', 'Lists nodes with every field.')
  @ApiListQuery({ sortKeys: NODE_COLLECTION.sortable, detailView: true })
  @ApiNodeListFilters()
  @ApiOkResponse({ type: NodeCollectionDto })
  @ApiErrors(400, 404, 406)
  detail(@Args(nodeListArgs(true)) request: NodeListRequest, @View() view: ViewContext) {
    return this.nodes.list(request, view, 'nodes/detail');
  }

  @Post()
  @Policy('baremetal:node:create')
  @ApiOp('createNode', 'Create a node', 'Enrolls a node; it starts with power_state null and provision_state "enroll".')
  @ApiBody({ type: CreateNodeDto })
  @ApiCreatedResponse({ type: NodeDto, headers: { Location: { description: 'URL of the new node.', schema: { type: 'string' } } } })
  @ApiErrors(400, 409, 413)
  async create(@Body() body: unknown, @View() view: ViewContext, @Res({ passthrough: true }) res: Response) {
    const node = await this.nodes.create(body, view);
    res.location(`${view.base}/v1/nodes/${node.uuid}`);
    return node;
  }

  @Get(':node_ident')
  @Policy('baremetal:node:get')
  @NODE_IDENT
  @ApiOp('showNode', 'Show node details')
  @ApiOkResponse({ type: NodeDto, headers: ETAG })
  @ApiErrors(400, 404)
  async show(
    @Args(nodeShowArgs) args: { ident: string; fields: string[] | undefined },
    @View() view: ViewContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const shown = await this.nodes.show(args, view);
    res.setHeader('ETag', shown.etag);
    return shown.body;
  }

  @Patch(':node_ident')
  @Policy('baremetal:node:update')
  @NODE_IDENT
  @IF_MATCH
  @ApiOp('updateNode', 'Update a node', 'Applies an RFC 6902 JSON Patch (add, replace, remove).')
  @ApiBody({ type: [PatchOperationDto] })
  @ApiOkResponse({ type: NodeDto, headers: ETAG })
  @ApiErrors(400, 404, 409, 412, 413)
  async update(
    @Args(nodePatchArgs) args: { ident: string; patch: PatchOp[] },
    @Headers('if-match') ifMatch: string | undefined,
    @View() view: ViewContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const updated = await this.nodes.update(args, ifMatch, view);
    res.setHeader('ETag', updated.etag);
    return updated.body;
  }

  @Delete(':node_ident')
  @Policy('baremetal:node:delete')
  @HttpCode(204)
  @NODE_IDENT
  @IF_MATCH
  @ApiOp('deleteNode', 'Delete a node', 'Deletes a node together with its volume connectors and targets.')
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(400, 404, 409, 412)
  delete(
    @Args(nodeDeleteArgs) args: { ident: string },
    @Headers('if-match') ifMatch: string | undefined,
    @View() view: ViewContext,
  ): Promise<void> {
    return this.nodes.delete(args.ident, ifMatch, view);
  }

  @Get(':node_ident/states')
  @Policy('baremetal:node:get')
  @NODE_IDENT
  @ApiOp('showNodeStates', 'Show node states', 'Power and provision state of a node.')
  @ApiOkResponse({ type: NodeStatesDto })
  @ApiErrors(400, 404)
  states(@Args(nodeStatesArgs) args: { ident: string }, @View() view: ViewContext) {
    return this.nodes.states(args.ident, view);
  }

  @Put(':node_ident/states/power')
  @Policy('baremetal:node:set_power_state')
  @HttpCode(202)
  @NODE_IDENT
  @ApiOp('setNodePowerState', 'Change node power state', 'Powers a node on or off, or reboots it, through its power driver.')
  @ApiBody({ type: SetPowerStateDto })
  @ACCEPTED
  @ApiErrors(400, 404, 409, 413)
  async setPowerState(
    @Args(powerArgs) args: PowerArgs,
    @View() view: ViewContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.actions.setPowerState(args, view);
    res.location(`${view.base}/v1/nodes/${args.ident}/states`);
  }

  @Put(':node_ident/states/provision')
  @Policy('baremetal:node:set_provision_state')
  @HttpCode(202)
  @NODE_IDENT
  @ApiOp('setNodeProvisionState', 'Change node provision state', 'Moves a node through the provisioning state machine (manage, provide, active, deleted, ...).')
  @ApiBody({ type: SetProvisionStateDto })
  @ACCEPTED
  @ApiErrors(400, 404, 409, 413)
  async setProvisionState(
    @Args(provisionArgs) args: { ident: string; target: string },
    @View() view: ViewContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.actions.setProvisionState(args, view);
    res.location(`${view.base}/v1/nodes/${args.ident}/states`);
  }

  /** Other methods, answered as Ironic answers them. */
  @Delete()
  @ApiExcludeEndpoint()
  deleteCollection(): never {
    throw MissingParameter('node_ident');
  }

  @Patch()
  @ApiExcludeEndpoint()
  patchCollection(): never {
    throw MissingParameter('node_ident');
  }

  @All(['', ':node_ident'])
  @ApiExcludeEndpoint()
  otherMethods(): never {
    throw MethodNotAllowed(['DELETE', 'GET', 'PATCH', 'POST']);
  }

  @All(':node_ident/states')
  @ApiExcludeEndpoint()
  otherStatesMethods(): never {
    throw MethodNotAllowed(['GET']);
  }

  @All([':node_ident/states/power', ':node_ident/states/provision'])
  @ApiExcludeEndpoint()
  otherStateChangeMethods(): never {
    throw MethodNotAllowed(['PUT']);
  }
}
