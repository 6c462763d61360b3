import { Body, Controller, Get, Header, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator';
import { authConfig, type AuthConfig } from '../config/auth.config';
import { loadDocsConfig } from '../config/docs.config';
import {
  type CallbackPageAssets,
  loadCallbackPage,
  PAGE_HEADERS,
  pageConfig,
} from './callback-page';
import { type FlowDto, FlowQueryDto } from './flow.dto';
import { PendingFlows } from './pending-flows';

export const CALLBACK_PATH = 'oauth/callback';

/**
 * The built-in OAuth callback page (`<P>_REDIRECT_URI` = `https://<this service>/oauth/callback`): a static page
 * whose script completes the flow through the public API. Not part of the API: absent from the OpenAPI document.
 */
@ApiExcludeController()
@Public()
@Controller(CALLBACK_PATH)
export class CallbackPageController {
  private readonly page: CallbackPageAssets;

  constructor(
    private readonly flows: PendingFlows,
    @Inject(authConfig.KEY) auth: AuthConfig,
  ) {
    this.page = loadCallbackPage(pageConfig(auth, loadDocsConfig().enabled));
  }

  /** The same bytes for every visitor: the code and state are read by the script, never put into the HTML. */
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', PAGE_HEADERS['Content-Security-Policy'])
  @Header('Referrer-Policy', PAGE_HEADERS['Referrer-Policy'])
  @Header('Cache-Control', PAGE_HEADERS['Cache-Control'])
  @Header('X-Content-Type-Options', PAGE_HEADERS['X-Content-Type-Options'])
  @Header('Cross-Origin-Opener-Policy', PAGE_HEADERS['Cross-Origin-Opener-Policy'])
  html(): string {
    return this.page.html;
  }

  @Get('callback.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return this.page.script;
  }

  @Get('callback.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'no-cache')
  style(): string {
    return this.page.style;
  }

  /** Which project, repo type and tag the state was issued for (the page then calls the oauth operation). */
  @Post('flow')
  @HttpCode(200)
  async flow(@Body() body: FlowQueryDto): Promise<FlowDto> {
    const { projectId, repoType, tag } = await this.flows.find(body.state);
    return { project_id: projectId, repo_type: repoType, tag };
  }
}
