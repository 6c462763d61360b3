import {
  createParamDecorator,
  type ExecutionContext,
  Headers,
  Param,
  type PipeTransform,
  Query,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../common/errors/app-error';
import { isValidRefName, REF_RULE } from '../domain/ref-name';
import { parsePathParam, projectRef } from '../domain/repo-path';
import { REPO_AUTH_HEADER } from '../repo-access';

/** The authorization name; checked by RepoAccess, which every operation goes through. */
export const RepoAuth = (): ParameterDecorator => Headers(REPO_AUTH_HEADER);

class PathParamPipe implements PipeTransform<unknown, string> {
  constructor(private readonly field: string) {}

  transform(value: unknown): string {
    return parsePathParam(this.field, value);
  }
}

/** `{namespace}` as a `/`-separated path. */
export const NamespaceParam = (): ParameterDecorator =>
  Param('namespace', new PathParamPipe('namespace'));

/** `{path}` of a file as a `/`-separated path. */
export const FilePathParam = (): ParameterDecorator => Param('path', new PathParamPipe('path'));

/** `{namespace}/{project}` as the repository they name. */
export const RepoParam = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const params = context.switchToHttp().getRequest<FastifyRequest>().params as Record<
    string,
    unknown
  >;
  return projectRef(params.namespace, params.project);
});

class RefPipe implements PipeTransform<unknown, string | undefined> {
  constructor(private readonly required: boolean) {}

  transform(value: unknown): string | undefined {
    if (value === undefined || value === '') {
      if (this.required) throw new AppError('INVALID_PARAMETER', 'ref is required');
      return undefined;
    }
    if (typeof value !== 'string' || !isValidRefName(value))
      throw new AppError('INVALID_PARAMETER', REF_RULE);
    return value;
  }
}

/** `?ref=`: a branch, tag or SHA. */
export const RefQuery = (options: { required: boolean }): ParameterDecorator =>
  Query('ref', new RefPipe(options.required));

class SingleValuePipe implements PipeTransform<unknown, unknown> {
  constructor(private readonly field: string) {}

  transform(value: unknown): unknown {
    if (Array.isArray(value)) throw new AppError('INVALID_PARAMETER', `${this.field} is repeated`);
    return value;
  }
}

/** `?clone_url=`, parsed against the authorization's server once it is known. */
export const CloneUrlQuery = (): ParameterDecorator =>
  Query('clone_url', new SingleValuePipe('clone_url'));
