import { RequiredString, TOKEN_CHARS } from '../git-auth/dto/fields';

export class FlowQueryDto {
  @RequiredString('state', {
    description: "The `state` of the provider's redirect",
    example: 'bW9ja1N0YXRlVmFsdWVGb3JEb2NzT25seTEyMzQ1Njc',
    maxLength: 1024,
    charset: TOKEN_CHARS,
  })
  state!: string;
}

/** The flow a state was issued for: the path and query of the oauth operation that completes it. */
export interface FlowDto {
  project_id: string;
  repo_type: string;
  tag: string;
}
