import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/errors/api-error-responses';
import { AuthorizationListDto, toAuthorizationVo } from './dto/authorization.dto';
import { ProjectId } from './dto/path-params';
import { GitAuthService } from './git-auth.service';

const PROJECT_ID_PARAM = {
  name: 'project_id',
  description:
    'ServiceStage project id (32 hex characters; letters, digits and "-", 1-64 characters accepted)',
  example: '0123456789abcdef0123456789abcdef',
};

@ApiTags('git authorizations')
@ApiParam(PROJECT_ID_PARAM)
@ApiErrors('INVALID_PARAMETER', 'DATABASE_UNAVAILABLE', 'INTERNAL')
@Controller('v1/:project_id/git/auths')
export class GitAuthController {
  constructor(private readonly service: GitAuthService) {}

  @Get()
  @ApiOperation({
    operationId: 'listAuthorizations',
    summary: 'List the git authorizations of a project',
  })
  @ApiOkResponse({ type: AuthorizationListDto })
  async list(@ProjectId() projectId: string): Promise<AuthorizationListDto> {
    const authorizations = (await this.service.list(projectId)).map(toAuthorizationVo);
    return { authorizations, count: authorizations.length };
  }
}
