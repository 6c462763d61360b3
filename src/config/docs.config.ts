import { IsBoolean } from '../common/validation/class-validator';
import { readEnv, ToBoolean } from './env';

class DocsEnv {
  /** Swagger UI at /docs and the OpenAPI document at /docs-json; production may hide its API description. */
  @ToBoolean()
  @IsBoolean()
  DOCS_ENABLED: boolean = true;
}

export function loadDocsConfig(env: NodeJS.ProcessEnv = process.env) {
  return { enabled: readEnv(DocsEnv, env).DOCS_ENABLED };
}
