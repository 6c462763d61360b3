import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiErrors } from '../errors/api-error-responses';
import { CreationRateLimitGuard } from './creation-rate-limit.guard';

/**
 * Limits how many authorizations a project can create per minute (RATE_LIMIT_CREATE_PER_MINUTE, shared by
 * every endpoint wearing this decorator). Over the limit: 429 SVCSTG.REPO.0429 with Retry-After (seconds).
 */
export const CreationRateLimit = (): MethodDecorator & ClassDecorator =>
  applyDecorators(UseGuards(CreationRateLimitGuard), ApiErrors('RATE_LIMITED'));
