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
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiInvalidInput } from '../common/api-docs.decorators';
import { BodyLimit } from '../common/body-limit';
import { DEMO_TOKEN_BODY_LIMIT, DemoTokenRequestDto } from './demo-token-request.dto';
import { DemoTokenResponse } from './demo-token.response';
import { DemoToken, DemoTokenService } from './demo-token.service';
import { DemoPageOptions, demoPageHtml } from './page/demo-page.html';
import { DEMO_PAGE_SCRIPT } from './page/demo-page.script';
import { DEMO_PAGE_CSS } from './page/demo-page.style';

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

/** The Notification Center demo page and its sign-in (DEMO_ENABLED only). */
@ApiTags('demo (DEMO_ENABLED only)')
@Controller('demo')
export class DemoController {
  /** Rendered once: its settings do not change while the app runs. */
  private readonly html: string;

  constructor(
    private readonly tokens: DemoTokenService,
    @Inject(DEMO_PAGE_OPTIONS) options: DemoPageOptions,
  ) {
    this.html = demoPageHtml(options);
  }

  @ApiOperation({ summary: 'The Notification Center demo page' })
  @Get()
  @PageFile('text/html')
  page(): string {
    return this.html;
  }

  @ApiOperation({ summary: "The demo page's script" })
  @Get('demo.js')
  @PageFile('text/javascript')
  script(): string {
    return DEMO_PAGE_SCRIPT;
  }

  @ApiOperation({ summary: "The demo page's style sheet" })
  @Get('demo.css')
  @PageFile('text/css')
  style(): string {
    return DEMO_PAGE_CSS;
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
