import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsDefined, IsString } from '../../common/validation/class-validator';
import {
  EXAMPLE_FILE_SHA,
  EXAMPLE_NEW_FILE_CONTENT,
  EXAMPLE_NEW_HOOK_URL,
  EXAMPLE_NEW_REPOSITORY,
  EXAMPLE_NEW_TAG,
  EXAMPLE_UPDATED_CONTENT,
} from '../../git-auth/dto/examples';
import { RequiredString, TOKEN_CHARS } from '../../git-auth/dto/fields';
import { MAX_HOOK_URL_LENGTH } from '../domain/hook-url';
import {
  BLOB_SHA,
  MAX_COMMIT_MESSAGE,
  MAX_HOOK_SECRET,
  MESSAGE_CHARS,
  PROJECT_NAME,
} from '../domain/write-rules';

/**
 * The bodies of the write operations, field for field as ServiceStage's SDK sends them (it sends `{}` for a
 * missing body: every field is checked). Examples work against the sandbox (src/git-auth/dto/examples.ts).
 */

const CommitMessage = (example: string) =>
  RequiredString('message', {
    description: 'Commit message',
    example,
    maxLength: MAX_COMMIT_MESSAGE,
    charset: MESSAGE_CHARS,
  });

/** Base64 content: may be `""` (an empty file), so not a RequiredString; decoded by the controller. */
const Base64Content = (example: string): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      description:
        'The file content, base64 (standard alphabet, padded; whitespace ignored; "" is an empty file). The whole ' +
        'request body is bounded by BODY_LIMIT_BYTES (413 SVCSTG.REPO.0413 beyond it).',
      example,
      format: 'byte',
    }),
    IsDefined({ message: 'content is required' }),
    IsString({ message: 'content must be a string' }),
  );

@ApiSchema({ name: 'CreateProjectRequestBody' })
export class CreateProjectBody {
  @RequiredString('name', {
    description: 'Name of the new repository (created private)',
    example: EXAMPLE_NEW_REPOSITORY,
    maxLength: 100,
    charset: PROJECT_NAME,
  })
  name!: string;
}

@ApiSchema({ name: 'CreateTagRequestBody' })
export class CreateTagBody {
  @RequiredString('name', {
    description: 'Tag name: a valid git ref name',
    example: EXAMPLE_NEW_TAG,
    maxLength: 255,
    charset: TOKEN_CHARS,
  })
  name!: string;

  @RequiredString('description', {
    description:
      'Tag message (an annotated tag; Bitbucket makes lightweight tags only and drops it)',
    example: 'Release 1.1.0',
    maxLength: MAX_COMMIT_MESSAGE,
    charset: MESSAGE_CHARS,
  })
  description!: string;
}

@ApiSchema({ name: 'CreateHookRequestBody' })
export class CreateHookBody {
  @RequiredString('url', {
    description:
      'Callback URL: https (http only for hosts on REPO_HOOK_HTTP_HOSTS), without user info; push events, tag pushes included',
    example: EXAMPLE_NEW_HOOK_URL,
    maxLength: MAX_HOOK_URL_LENGTH,
    charset: TOKEN_CHARS,
  })
  url!: string;

  @RequiredString('secret', {
    description:
      'Shared secret with which the receiver verifies deliveries; sent to the provider only, never stored, logged or returned',
    example: 's3cr3t-value',
    maxLength: MAX_HOOK_SECRET,
    charset: TOKEN_CHARS,
  })
  secret!: string;
}

@ApiSchema({ name: 'CreateFileRequestBody' })
export class CreateFileBody {
  @CommitMessage('Add docs/hello.md')
  message!: string;

  @Base64Content(EXAMPLE_NEW_FILE_CONTENT)
  content!: string;
}

@ApiSchema({ name: 'UpdateFileRequestBody' })
export class UpdateFileBody {
  @CommitMessage('Print a greeting')
  message!: string;

  @Base64Content(EXAMPLE_UPDATED_CONTENT)
  content!: string;

  @RequiredString('sha', {
    description:
      'The blob SHA showContent returned; if the file has changed since, nothing is written (409 SVCSTG.REPO.0409)',
    example: EXAMPLE_FILE_SHA,
    maxLength: 64,
    charset: BLOB_SHA,
  })
  sha!: string;
}
