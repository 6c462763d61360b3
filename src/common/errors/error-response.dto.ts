import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** The one error body of this API, as ServiceStage's SDKs parse it. */
@ApiSchema({ name: 'ErrorResponse' })
export class ErrorResponseDto {
  @ApiProperty({ example: 'SVCSTG.REPO.0400', pattern: '^SVCSTG\\.REPO\\.\\d{4}$' })
  error_code!: string;

  @ApiProperty({ example: 'name must be 4-63 characters of letters, digits, ".", "_" or "-"' })
  error_msg!: string;
}
