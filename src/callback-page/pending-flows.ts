import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { hashState } from '../git-auth/domain/oauth-state';
import {
  OAuthStateRepository,
  type PendingOAuthState,
} from '../git-auth/persistence/oauth-state.repository';

/**
 * Which flow a state belongs to: the page learns the project, repo type and tag to complete it with, so nobody
 * types a project id. The state stays pending; only the oauth operation consumes it.
 */
@Injectable()
export class PendingFlows {
  constructor(private readonly states: OAuthStateRepository) {}

  async find(state: string): Promise<PendingOAuthState> {
    const pending = await this.states.findPending(hashState(state), new Date());
    if (!pending) {
      throw new AppError(
        'OAUTH_CODE_OR_STATE_INVALID',
        'The state is unknown, expired or already used: start the authorization again',
      );
    }
    return pending;
  }
}
