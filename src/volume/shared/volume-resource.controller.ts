import { All, Body, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post, Res, Type } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiExcludeEndpoint, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import type { ExampleObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Response } from 'express';
import { invalid, MethodNotAllowed, MissingParameter } from '../../common/errors/ironic-errors';
import { pyRepr } from '../../common/validation/py-repr';
import { View, ViewContext } from '../../common/http/view-context';
import { ApiErrors, ApiListQuery, ApiOp } from '../../common/openapi/api-docs.decorators';
import { volumeListArgsOf } from './volume-list-query';
import { assertExpectedArgs, parseArgs, stringListArg } from '../../common/collection/query-args';
import type { ListRequest } from '../../common/collection/list-query';
import { Args, ArgsParser } from '../../common/http/args.decorator';
import { requireUuid } from '../../common/validation/uuid';
import { PatchOperationDto } from '../../common/json-patch/patch-operation.dto';
import { Planned, RequiresPoweredOffNode } from '../../node/powered-off.guard';
import { Policy } from '../../auth/policy.guard';
import { changeAction, VolumeKind } from './volume-kind';
import type { VolumeResourceService } from './volume-resource.service';
import type { DeletePlan, UpdatePlan } from './volume-change.plan';

/** Everything the HTTP surface of one volume resource needs to know about it. */
export interface VolumeResourceApi<Data> {
  kind: VolumeKind<Data>;
  service: Type<VolumeResourceService<Data>>;
  /** "Connector": names its operations (createVolumeConnector, "Create Volume Connector"). */
  noun: string;
  dto: { item: Type<object>; collection: Type<object>; create: Type<object> };
  /** What the list and create operations return and need, in the API reference's words. */
  describe: { list: string; create: string };
  examples: { create: Record<string, ExampleObject>; patch: Record<string, ExampleObject> };
}

/**
 * The controller of a volume resource, derived from its definition: the
 * routes, the Location of a new item, the path parameter's name in Ironic's
 * errors, the guarded actions and the OpenAPI operations. Each resource
 * extends it as its own controller class, with its own route and tags.
 */
export function VolumeResourceController<Data>(api: VolumeResourceApi<Data>) {
  const { kind, noun, dto } = api;
  const word = kind.label.split(' ').pop()!;
  const uuidParam = ApiParam({ name: 'uuid', description: `UUID of the volume ${word}.`, schema: { type: 'string', format: 'uuid' } });
  const etag = { ETag: { description: `Version of the ${word}, for If-Match.`, schema: { type: 'string' } } };
  const ifMatch = ApiHeader({ name: 'If-Match', required: false, description: `Apply only if the ${word} still has this ETag (else 412).` });
  const location = { Location: { description: `URL of the new ${word}.`, schema: { type: 'string' } } };
  const only = (change: string) =>
    `${change[0].toUpperCase()}${change.slice(1, -1)} a Volume ${word}. A Volume ${word} can be ${change} only while a node associated with the Volume ${word} is powered off.`;

  /** Ironic's order for a show: unknown arguments, the UUID, then the fields argument. */
  const showArgs: ArgsParser<{ uuid: string; fields: string[] | undefined }> = ({ params, query }) => {
    assertExpectedArgs(query, ['fields']);
    const uuid = requireUuid(params.uuid, kind.uuidParam);
    return { uuid, fields: parseArgs(query, { fields: stringListArg }).fields };
  };
  /** A create takes no query arguments; its body is checked by the service, with its node. */
  const createArgs: ArgsParser<unknown> = ({ query, body }) => {
    assertExpectedArgs(query, []);
    return body;
  };

  abstract class VolumeResourceControllerBase {
    constructor(@Inject(api.service) readonly resources: VolumeResourceService<Data>) {}

    @Get()
    @Policy('baremetal:volume:list')
    @ApiOp(`listVolume${noun}s`, `List Volume ${noun}s`, api.describe.list)
    @ApiListQuery({ node: true, sortKeys: kind.collection.sortable })
    @ApiOkResponse({ type: dto.collection })
    @ApiErrors(400, 404)
    list(@Args(volumeListArgsOf(kind.collection)) request: ListRequest, @View() view: ViewContext) {
      return this.resources.list(request, view);
    }

    @Post()
    @Policy('baremetal:volume:create')
    @ApiOp(`createVolume${noun}`, `Create Volume ${noun}`, api.describe.create)
    @ApiBody({ type: dto.create, examples: api.examples.create })
    @ApiCreatedResponse({ type: dto.item, headers: location })
    @ApiErrors(400, 404, 409, 413)
    async create(
      @Args(createArgs) body: unknown,
      @View() view: ViewContext,
      @Res({ passthrough: true }) res: Response,
    ) {
      const item = await this.resources.create(body, view);
      res.location(`${view.base}/v1/${kind.path}/${String(item.uuid)}`);
      return item;
    }

    @Get(':uuid')
    @Policy('baremetal:volume:get')
    @uuidParam
    @ApiOp(`showVolume${noun}`, `Show Volume ${noun} Details`, `Show details for the given Volume ${word}.`)
    @ApiOkResponse({ type: dto.item, headers: etag })
    @ApiErrors(400, 404)
    async show(
      @Args(showArgs) args: { uuid: string; fields: string[] | undefined },
      @View() view: ViewContext,
      @Res({ passthrough: true }) res: Response,
    ) {
      const shown = await this.resources.show(args, view);
      res.setHeader('ETag', shown.etag);
      return shown.body;
    }

    @Patch(':uuid')
    @Policy('baremetal:volume:update')
    @uuidParam
    @ifMatch
    @RequiresPoweredOffNode(changeAction(kind, 'update'), 'update')
    @ApiOp(`updateVolume${noun}`, `Update a Volume ${noun}`, only('updated'))
    @ApiBody({ type: [PatchOperationDto], examples: api.examples.patch })
    @ApiOkResponse({ type: dto.item, headers: etag })
    @ApiErrors(400, 404, 409, 412, 413)
    async update(
      @Planned() plan: UpdatePlan<Data>,
      @Body() patch: unknown,
      @Headers('if-match') ifMatchHeader: string | undefined,
      @View() view: ViewContext,
      @Res({ passthrough: true }) res: Response,
    ) {
      const updated = await this.resources.update(plan, patch, ifMatchHeader, view);
      res.setHeader('ETag', updated.etag);
      return updated.body;
    }

    @Delete(':uuid')
    @Policy('baremetal:volume:delete')
    @HttpCode(204)
    @uuidParam
    @ifMatch
    @RequiresPoweredOffNode(changeAction(kind, 'deletion'), 'delete')
    @ApiOp(`deleteVolume${noun}`, `Delete Volume ${noun}`, only('deleted'))
    @ApiNoContentResponse({ description: 'Deleted.' })
    @ApiErrors(400, 404, 409, 412)
    delete(
      @Planned() plan: DeletePlan<Data>,
      @Headers('if-match') ifMatchHeader: string | undefined,
      @View() view: ViewContext,
    ): Promise<void> {
      return this.resources.delete(plan, ifMatchHeader, view);
    }

    /** Other methods, answered as Ironic answers them (its collection routes take DELETE and PATCH and then miss the UUID). */
    @Delete()
    @ApiExcludeEndpoint()
    deleteCollection(): never {
      throw MissingParameter(kind.uuidParam);
    }

    @Patch()
    @ApiExcludeEndpoint()
    patchCollection(): never {
      throw MissingParameter(kind.uuidParam);
    }

    /** Ironic hands the UUID to its create handler as the body, and refuses it as one. */
    @Post(':uuid')
    @ApiExcludeEndpoint()
    postToItem(@Param('uuid') uuid: string): never {
      throw invalid(`Schema error for ${kind.schemaName}: ${pyRepr(uuid)} is not of type 'object'`);
    }

    @All(['', ':uuid'])
    @ApiExcludeEndpoint()
    otherMethods(): never {
      throw MethodNotAllowed(['DELETE', 'GET', 'PATCH', 'POST']);
    }
  }
  return VolumeResourceControllerBase;
}
