import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ServiceAuth } from '../../auth/api-key.guard';
import { ApiErrorSchema } from '../../common/api-error.schema';
import { ApiInvalidInput, ApiNotFound } from '../../common/api-docs.decorators';
import { BodyLimit } from '../../common/body-limit';
import { emitBodyLimit, EmitRequestDto } from './emit-request.dto';
import { SignalEventService } from './signal-event.service';
import { EmittedResponse } from './socket-emit.responses';

/** Service-to-service emits (seed 000): `x-api-key`, body `{ topic, payload }`. */
@ApiTags('socket emit')
@ServiceAuth('emit')
@ApiAcceptedResponse({ type: EmittedResponse, description: 'Emitted on every Signal instance' })
@ApiInvalidInput('The topic or room name is invalid, or the payload is not a JSON object')
@ApiPayloadTooLargeResponse({
  type: ApiErrorSchema,
  description: 'The payload is larger than SIGNAL_EMIT_MAX_PAYLOAD_BYTES of JSON',
})
@Controller('socket/websocket/clients')
export class SocketEmitController {
  constructor(private readonly events: SignalEventService) {}

  @ApiOperation({ summary: 'Emit a topic and payload to every connected client' })
  @Post('broadcast')
  @HttpCode(HttpStatus.ACCEPTED)
  @BodyLimit(emitBodyLimit)
  broadcast(@Body() body: EmitRequestDto) {
    this.events.broadcast(body.topic, body.payload);
    return { status: 'emitted', target: 'all', topic: body.topic };
  }

  @ApiOperation({ summary: 'Emit a topic and payload to the clients in one room' })
  @ApiParam({
    name: 'roomName',
    description: 'Non-empty segments joined by "/" (URL-encode the "/"), no whitespace',
    example: 'signal/notification/8652',
  })
  @Post('rooms/:roomName/send')
  @HttpCode(HttpStatus.ACCEPTED)
  @BodyLimit(emitBodyLimit)
  sendToRoom(@Param('roomName') roomName: string, @Body() body: EmitRequestDto) {
    this.events.sendToRoom(roomName, body.topic, body.payload);
    return { status: 'emitted', target: `room:${roomName}`, topic: body.topic };
  }

  @ApiOperation({ summary: 'Emit a topic and payload to one connection' })
  @ApiParam({ name: 'clientId', description: 'The Socket.IO id of the connection' })
  @ApiNotFound('No Signal instance has a connection with this id')
  @Post(':clientId/send')
  @HttpCode(HttpStatus.ACCEPTED)
  @BodyLimit(emitBodyLimit)
  async sendToClient(@Param('clientId') clientId: string, @Body() body: EmitRequestDto) {
    await this.events.sendToClient(clientId, body.topic, body.payload);
    return { status: 'emitted', target: `client:${clientId}`, topic: body.topic };
  }
}
