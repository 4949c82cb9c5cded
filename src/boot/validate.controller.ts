import { All, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Policy } from '../auth/policy.guard';
import { uuidArg, uuidOrNameArg, validateArgs } from '../common/collection/query-args';
import { invalid, MethodNotAllowed, NotAcceptable } from '../common/errors/ironic-errors';
import { pyRepr } from '../common/validation/py-repr';
import { Args, ArgsParser } from '../common/http/args.decorator';
import { View, ViewContext } from '../common/http/view-context';
import { atLeast, MINOR_5_NODE_NAME } from '../common/microversion/microversion';
import { ApiErrors, ApiOp } from '../common/openapi/api-docs.decorators';
import { canonicalUuid } from '../common/validation/uuid';
import { NodeService } from '../node/node.service';
import { NodeValidationDto } from './dto/node-validation.dto';
import { NodeValidation } from './node-validation';

/** Ironic's handler takes node and node_uuid as query arguments too; a name before 1.5 is not acceptable. */
const validateNodeArgs: ArgsParser<string> = ({ params, query, minor }) => {
  validateArgs(query, { node: uuidOrNameArg, node_uuid: uuidArg });
  if (!atLeast(minor, MINOR_5_NODE_NAME) && !canonicalUuid(params.node_ident)) throw NotAcceptable('Request not acceptable.');
  return params.node_ident;
};

@ApiTags('nodes')
@Controller('v1/nodes/:node_ident/validate')
export class ValidateController {
  constructor(
    private readonly nodes: NodeService,
    private readonly validation: NodeValidation,
  ) {}

  @Get()
  @Policy('baremetal:node:validate')
  @ApiParam({ name: 'node_ident', description: 'UUID or name of the node.', schema: { type: 'string' } })
  @ApiOp('validateNode', 'Validate a node', "Each interface's check of the node: power, boot, deploy and storage (the records boot from volume needs), as Ironic's {result, reason}.")
  @ApiOkResponse({ type: NodeValidationDto })
  @ApiErrors(400, 404, 406)
  async validate(@Args(validateNodeArgs) ident: string, @View() view: ViewContext) {
    return this.validation.validate(await this.nodes.getRow(ident, view.caller));
  }

  /** Ironic routes a POST here to its node create handler, which refuses the identifier as a body. */
  @Post()
  @ApiExcludeEndpoint()
  post(@Param('node_ident') ident: string): never {
    throw invalid(`Schema error for node: ${pyRepr(ident)} is not of type 'object'`);
  }

  @All()
  @ApiExcludeEndpoint()
  otherMethods(): never {
    throw MethodNotAllowed(['GET']);
  }
}
