import {
  applyDecorators,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Inject,
  Post,
  Res,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { ApiInvalidInput } from '../common/api-docs.decorators';
import { BodyLimit } from '../common/body-limit';
import {
  DemoPageOptions,
  demoPageSettings,
  DemoPageSettingsResponse,
} from './demo-page-settings.response';
import { DEMO_TOKEN_BODY_LIMIT, DemoTokenRequestDto } from './demo-token-request.dto';
import { DemoTokenResponse } from './demo-token.response';
import { DemoToken, DemoTokenService } from './demo-token.service';

// Only the page's own files and same-origin REST and Socket.IO: notification text can never run as script.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Injection token of the page's `DemoPageOptions`. */
export const DEMO_PAGE_OPTIONS = Symbol('DEMO_PAGE_OPTIONS');

const PageFile = (contentType: string) =>
  applyDecorators(
    ApiProduces(contentType),
    ApiOkResponse({ schema: { type: 'string' } }),
    Header('Content-Type', `${contentType}; charset=utf-8`),
    Header('Content-Security-Policy', CONTENT_SECURITY_POLICY),
    Header('X-Content-Type-Options', 'nosniff'),
    Header('Cache-Control', 'no-store'),
  );

/**
 * The Notification Center demo page and its sign-in (DEMO_ENABLED only). The page's files are
 * sent from `DEMO_PAGE_ROOT` by @fastify/static; the routes stay here, so they are documented.
 */
@ApiTags('demo (DEMO_ENABLED only)')
@Controller('demo')
export class DemoController {
  /** Built once: its settings do not change while the app runs. */
  private readonly settings: DemoPageSettingsResponse;

  constructor(
    private readonly tokens: DemoTokenService,
    @Inject(DEMO_PAGE_OPTIONS) options: DemoPageOptions,
  ) {
    this.settings = demoPageSettings(options);
  }

  @ApiOperation({ summary: 'The Notification Center demo page' })
  @Get()
  @PageFile('text/html')
  page(@Res() reply: FastifyReply): FastifyReply {
    return reply.sendFile('demo.html');
  }

  @ApiOperation({ summary: "The demo page's script" })
  @Get('demo.js')
  @PageFile('text/javascript')
  script(@Res() reply: FastifyReply): FastifyReply {
    return reply.sendFile('demo.js');
  }

  @ApiOperation({ summary: "The demo page's style sheet" })
  @Get('demo.css')
  @PageFile('text/css')
  style(@Res() reply: FastifyReply): FastifyReply {
    return reply.sendFile('demo.css');
  }

  @ApiOperation({ summary: "The demo page's settings: socket topics, mail catcher link" })
  @ApiOkResponse({ type: DemoPageSettingsResponse })
  @Get('settings')
  @Header('Cache-Control', 'no-store')
  pageSettings(): DemoPageSettingsResponse {
    return this.settings;
  }

  @ApiOperation({
    summary: 'Mint a user token for the demo page',
    description: 'Any user id asked for: never enable the demo on a shared deployment.',
  })
  @ApiOkResponse({ type: DemoTokenResponse })
  @ApiInvalidInput('sub, organizerId or merchantIds is invalid')
  @Post('token')
  @HttpCode(HttpStatus.OK)
  @BodyLimit(DEMO_TOKEN_BODY_LIMIT)
  mintToken(@Body() claims: DemoTokenRequestDto): DemoToken {
    return this.tokens.mint(claims);
  }
}
