import { ApiProperty } from '@nestjs/swagger';

/** `GET /presence/:userId`, for the OpenAPI document. */
export class PresenceResponse {
  @ApiProperty({ description: 'At least one session open, on any node' })
  online: boolean;
  @ApiProperty({ description: 'Open sessions (WebSocket and Server-Sent Events) across all nodes' })
  sessions: number;
}
