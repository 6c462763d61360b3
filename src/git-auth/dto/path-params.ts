import { Param, type PipeTransform, Query } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { PROJECT_ID_PATTERN, PROJECT_ID_RULE } from '../../common/project-id';
import {
  AUTHORIZATION_NAME_PATTERN,
  AUTHORIZATION_NAME_RULE,
  TAG_PATTERN,
  TAG_RULE,
} from '../domain/names';

class PatternPipe implements PipeTransform<unknown, string> {
  constructor(
    private readonly pattern: RegExp,
    private readonly rule: string,
  ) {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !this.pattern.test(value)) {
      throw new AppError('INVALID_PARAMETER', this.rule);
    }
    return value;
  }
}

/** Tags are matched case-insensitively and remembered in lower case; absent means the default application. */
class TagPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (value === undefined) return '';
    const tag = typeof value === 'string' ? value.toLowerCase() : undefined;
    if (tag === undefined || !TAG_PATTERN.test(tag))
      throw new AppError('INVALID_PARAMETER', TAG_RULE);
    return tag;
  }
}

export const ProjectId = (): ParameterDecorator =>
  Param('project_id', new PatternPipe(PROJECT_ID_PATTERN, PROJECT_ID_RULE));

export const AuthorizationName = (): ParameterDecorator =>
  Param('name', new PatternPipe(AUTHORIZATION_NAME_PATTERN, AUTHORIZATION_NAME_RULE));

/** Validated by the provider registry, which answers SVCSTG.REPO.0401 for types it does not implement. */
export const RepoTypeParam = (): ParameterDecorator => Param('repo_type');

export const Tag = (): ParameterDecorator => Query('tag', new TagPipe());
