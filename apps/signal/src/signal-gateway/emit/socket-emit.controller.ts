import { Body, Controller, HttpCode, HttpStatus, Param, Post, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../../auth/api-key.guard';
import { EmitRequestDto } from './emit-request.dto';
import { SignalEventService } from './signal-event.service';

/** Service-to-service emits (seed 000): `x-api-key`, body `{ topic, payload }`. */
@Controller('socket/websocket/clients')
@UseGuards(ApiKeyGuard)
export class SocketEmitController {
  constructor(private readonly events: SignalEventService) {}

  @Post('broadcast')
  @HttpCode(HttpStatus.ACCEPTED)
  broadcast(@Body() body: EmitRequestDto) {
    this.events.broadcast(body.topic, body.payload);
    return { status: 'emitted', target: 'all', topic: body.topic };
  }

  @Post('rooms/:roomName/send')
  @HttpCode(HttpStatus.ACCEPTED)
  sendToRoom(@Param('roomName') roomName: string, @Body() body: EmitRequestDto) {
    this.events.sendToRoom(roomName, body.topic, body.payload);
    return { status: 'emitted', target: `room:${roomName}`, topic: body.topic };
  }

  @Post(':clientId/send')
  @HttpCode(HttpStatus.ACCEPTED)
  async sendToClient(@Param('clientId') clientId: string, @Body() body: EmitRequestDto) {
    await this.events.sendToClient(clientId, body.topic, body.payload);
    return { status: 'emitted', target: `client:${clientId}`, topic: body.topic };
  }
}
