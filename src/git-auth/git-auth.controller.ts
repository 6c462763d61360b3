import { Body, Controller, Delete, Get, Header, HttpCode, Post } from '@nestjs/common';
import { CreationRateLimit } from '../common/rate-limit/creation-rate-limit.decorator';
import { CredentialHandOut } from './credential-hand-out.service';
import { CredentialService } from './credential.service';
import { DirectAuthService } from './direct-auth.service';
import {
  type AuthorizationListDto,
  type AuthorizationResponseDto,
  toAuthorizationList,
  toAuthorizationResponse,
} from './dto/authorization.dto';
import { type GitCredentialDto, toGitCredentialDto } from './dto/credential.dto';
import { CreatePasswordAuthDto, CreatePersonalAuthDto } from './dto/direct-auth.dto';
import { CreateOAuthDto, type RedirectUrlDto } from './dto/oauth.dto';
import { AuthorizationName, ProjectId, RepoTypeParam, Tag } from './dto/path-params';
import {
  CreateOAuthApi,
  CreatePasswordApi,
  CreatePersonalApi,
  CredentialApi,
  DeleteApi,
  GitAuthApi,
  ListApi,
  RedirectApi,
  VerifyApi,
} from './git-auth.api-docs';
import { ListAndDeleteService } from './list-and-delete.service';
import { OAuthFlowService } from './oauth-flow.service';

// Operations in the order a person tries them in Swagger UI: the examples create, use, then delete.
@GitAuthApi()
@Controller('v1/:project_id/git/auths')
export class GitAuthController {
  constructor(
    private readonly listAndDelete: ListAndDeleteService,
    private readonly oauthFlow: OAuthFlowService,
    private readonly directAuth: DirectAuthService,
    private readonly credentials: CredentialService,
    private readonly handOut: CredentialHandOut,
  ) {}

  @Get()
  @ListApi()
  async list(@ProjectId() projectId: string): Promise<AuthorizationListDto> {
    return toAuthorizationList(await this.listAndDelete.list(projectId));
  }

  @Get(':repo_type/redirect')
  @CreationRateLimit()
  @RedirectApi()
  async redirect(
    @ProjectId() projectId: string,
    @RepoTypeParam() repoType: string,
    @Tag() tag: string,
  ): Promise<RedirectUrlDto> {
    return { url: await this.oauthFlow.authorizeUrl(projectId, repoType, tag) };
  }

  @Post(':repo_type/oauth')
  @CreationRateLimit()
  @HttpCode(200)
  @CreateOAuthApi()
  async createOAuth(
    @ProjectId() projectId: string,
    @RepoTypeParam() repoType: string,
    @Tag() tag: string,
    @Body() body: CreateOAuthDto,
  ): Promise<AuthorizationResponseDto> {
    return toAuthorizationResponse(await this.oauthFlow.complete(projectId, repoType, tag, body));
  }

  @Post(':repo_type/personal')
  @CreationRateLimit()
  @HttpCode(200)
  @CreatePersonalApi()
  async createPersonal(
    @ProjectId() projectId: string,
    @RepoTypeParam() repoType: string,
    @Body() body: CreatePersonalAuthDto,
  ): Promise<AuthorizationResponseDto> {
    return toAuthorizationResponse(await this.directAuth.createPersonal(projectId, repoType, body));
  }

  @Post(':repo_type/password')
  @CreationRateLimit()
  @HttpCode(200)
  @CreatePasswordApi()
  async createPassword(
    @ProjectId() projectId: string,
    @RepoTypeParam() repoType: string,
    @Body() body: CreatePasswordAuthDto,
  ): Promise<AuthorizationResponseDto> {
    return toAuthorizationResponse(await this.directAuth.createPassword(projectId, repoType, body));
  }

  @Post(':name/credential')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @CredentialApi()
  async credential(
    @ProjectId() projectId: string,
    @AuthorizationName() name: string,
  ): Promise<GitCredentialDto> {
    return toGitCredentialDto(await this.handOut.handOut(projectId, name));
  }

  @Post(':name/verify')
  @HttpCode(200)
  @VerifyApi()
  async verify(
    @ProjectId() projectId: string,
    @AuthorizationName() name: string,
  ): Promise<AuthorizationResponseDto> {
    return toAuthorizationResponse(await this.credentials.verify(projectId, name));
  }

  @Delete(':name')
  @HttpCode(204)
  @DeleteApi()
  async delete(@ProjectId() projectId: string, @AuthorizationName() name: string): Promise<void> {
    await this.listAndDelete.delete(projectId, name);
  }
}
