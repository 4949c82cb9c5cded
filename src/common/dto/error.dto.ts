import { ApiProperty } from '@nestjs/swagger';

/** Ironic's error envelope: `error_message` holds a JSON document as a string. */
export class ErrorEnvelopeDto {
  @ApiProperty({
    description:
      'A JSON document as a string: {"faultstring": message, "faultcode": "Client" | "Server", "debuginfo": null}; ' +
      'for 406 and some 404s {"code", "title", "description"} as Ironic answers them.',
    example: '{"faultstring": "Volume connector 8a0bd5c6-3b43-4b5c-9b86-a1b2c3d4e5f6 could not be found.", "faultcode": "Client", "debuginfo": null}',
  })
  error_message: string;
}

export class TokenCheckErrorDetailDto {
  @ApiProperty({ example: 401 })
  code: number;

  @ApiProperty({ example: 'Unauthorized' })
  title: string;

  @ApiProperty({ example: 'The request you have made requires authentication.' })
  message: string;
}

/**
 * A refusal of the Keystone token check (AUTH_STRATEGY=keystone), in
 * keystonemiddleware's shape rather than Ironic's envelope, as Ironic
 * behind keystonemiddleware answers: 401 without a valid token, 503 when
 * Keystone cannot be asked.
 */
export class TokenCheckErrorDto {
  @ApiProperty({ type: TokenCheckErrorDetailDto })
  error: TokenCheckErrorDetailDto;
}
