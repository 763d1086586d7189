import {
  applyDecorators,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Post,
} from '@nestjs/common';
import { DemoTokenRequestDto } from './demo-token-request.dto';
import { DemoToken, DemoTokenService } from './demo-token.service';
import { DEMO_PAGE_HTML } from './page/demo-page.html';
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

const PageFile = (contentType: string) =>
  applyDecorators(
    Header('Content-Type', `${contentType}; charset=utf-8`),
    Header('Content-Security-Policy', CONTENT_SECURITY_POLICY),
    Header('X-Content-Type-Options', 'nosniff'),
    Header('Cache-Control', 'no-store'),
  );

/** The Notification Center demo page and its sign-in (DEMO_ENABLED only). */
@Controller('demo')
export class DemoController {
  constructor(private readonly tokens: DemoTokenService) {}

  @Get()
  @PageFile('text/html')
  page(): string {
    return DEMO_PAGE_HTML;
  }

  @Get('demo.js')
  @PageFile('text/javascript')
  script(): string {
    return DEMO_PAGE_SCRIPT;
  }

  @Get('demo.css')
  @PageFile('text/css')
  style(): string {
    return DEMO_PAGE_CSS;
  }

  @Post('token')
  @HttpCode(HttpStatus.OK)
  mintToken(@Body() claims: DemoTokenRequestDto): DemoToken {
    return this.tokens.mint(claims);
  }
}
