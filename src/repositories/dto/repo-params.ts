import {
  createParamDecorator,
  type ExecutionContext,
  Headers,
  Param,
  type PipeTransform,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../common/errors/app-error';
import { isValidRefName, REF_RULE } from '../domain/ref-name';
import { parsePathParam, projectRef } from '../domain/repo-path';
import { checkTagName, MESSAGE_CHARS, BLOB_SHA, MAX_QUERY_MESSAGE } from '../domain/write-rules';
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

/**
 * A query parameter as it arrived (a repeated one is an array), read past the global ValidationPipe, which would
 * turn `?ref=a&ref=b` into the string "a,b".
 */
function rawQuery(field: string, context: ExecutionContext): unknown {
  const query = context.switchToHttp().getRequest<FastifyRequest>().query as Record<
    string,
    unknown
  >;
  const value = query[field];
  if (Array.isArray(value)) throw new AppError('INVALID_PARAMETER', `${field} is repeated`);
  return value;
}

/** `?ref=`: a branch, tag or SHA; `required` for the operations that need one. */
export const RefQuery = createParamDecorator(
  (options: { required: boolean }, context: ExecutionContext): string | undefined => {
    const value = rawQuery('ref', context);
    if (value === undefined || value === '') {
      if (options.required) throw new AppError('INVALID_PARAMETER', 'ref is required');
      return undefined;
    }
    if (typeof value !== 'string' || !isValidRefName(value))
      throw new AppError('INVALID_PARAMETER', REF_RULE);
    return value;
  },
);

/** `?clone_url=`, parsed against the authorization's server once it is known. */
export const CloneUrlQuery = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  rawQuery('clone_url', context),
);

/** `{tag_name}` of deleteTag: a `/` in it arrives as `:` or `%2F`. */
export const TagNameParam = (): ParameterDecorator =>
  Param('tag_name', {
    transform: (value: unknown) => checkTagName('tag_name', parsePathParam('tag_name', value)),
  });

/** A hook id: a number, or Bitbucket's `{uuid}` (braces raw, percent-encoded or left out). */
const HOOK_ID = /^(?:\d{1,20}|\{?[0-9A-Fa-f-]{32,36}\}?)$/;

export const HookIdParam = (): ParameterDecorator =>
  Param('hook_id', {
    transform: (value: unknown) => {
      if (typeof value !== 'string' || !HOOK_ID.test(value))
        throw new AppError(
          'INVALID_PARAMETER',
          "hook_id must be a hook id from listHooks (a number; Bitbucket: the hook's {uuid})",
        );
      return value;
    },
  });

/** deleteFile's `?message=`: the commit message, in the query string (so at most 1,024 characters). */
export const MessageQuery = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const value = rawQuery('message', context);
  if (value === undefined || value === '')
    throw new AppError('INVALID_PARAMETER', 'message is required');
  if (typeof value !== 'string' || value.length > MAX_QUERY_MESSAGE)
    throw new AppError(
      'INVALID_PARAMETER',
      `message must be at most ${MAX_QUERY_MESSAGE} characters`,
    );
  if (!MESSAGE_CHARS.pattern.test(value))
    throw new AppError('INVALID_PARAMETER', `message must be ${MESSAGE_CHARS.rule}`);
  return value;
});

/** deleteFile's `?sha=`: the blob SHA showContent returned. */
export const ShaQuery = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const value = rawQuery('sha', context);
  if (value === undefined || value === '')
    throw new AppError('INVALID_PARAMETER', 'sha is required');
  if (typeof value !== 'string' || !BLOB_SHA.pattern.test(value))
    throw new AppError('INVALID_PARAMETER', `sha must be ${BLOB_SHA.rule}`);
  return value.toLowerCase();
});
