import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import {
  DynamicModule,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { FastifyInstance } from 'fastify';
import { APP_SOURCE_ROOT } from '../app-root';
import { DemoPageOptions } from './demo-page-settings.response';
import { DEMO_PAGE_OPTIONS, DemoController } from './demo.controller';
import { DemoTokenService } from './demo-token.service';

/**
 * What demo tokens are signed with and say, so that the app accepts them, and what the page
 * links to.
 */
export interface DemoModuleSettings extends DemoPageOptions {
  jwtSecret: string;
  issuer: string | null;
  audience: string | null;
}

/** Long enough for a demo session, short enough that a leaked demo token soon stops working. */
export const DEMO_TOKEN_TTL_SECONDS = 3600;

/** The page's HTML, script and style sheet: in the sources, and copied beside the bundle (nest-cli.json). */
export const DEMO_PAGE_ROOT = join(APP_SOURCE_ROOT, 'demo', 'page');

/**
 * The Notification Center demo page at `/demo`: registered only when
 * DEMO_ENABLED, so without it every `/demo` route is a plain 404.
 */
@Module({})
export class DemoModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  static register(settings: DemoModuleSettings): DynamicModule {
    return {
      module: DemoModule,
      imports: [
        JwtModule.register({
          secret: settings.jwtSecret,
          signOptions: {
            algorithm: 'HS256',
            expiresIn: DEMO_TOKEN_TTL_SECONDS,
            // jsonwebtoken refuses an option present but undefined.
            ...(settings.issuer === null ? {} : { issuer: settings.issuer }),
            ...(settings.audience === null ? {} : { audience: settings.audience }),
          },
        }),
      ],
      controllers: [DemoController],
      providers: [
        DemoTokenService,
        {
          provide: DEMO_PAGE_OPTIONS,
          useValue: { mailCatcherUrl: settings.mailCatcherUrl } satisfies DemoPageOptions,
        },
      ],
    };
  }

  /**
   * `reply.sendFile` for `DemoController`, serving no route of its own. The controller sets every
   * header (its type included: send's would call the script application/javascript); no caching.
   * Queued, not awaited: awaiting would load Fastify's plugins now, fixing every route's error
   * handler before Nest installs its own (errors would then skip the exception filters).
   */
  onModuleInit(): void {
    void this.adapterHost.httpAdapter.getInstance<FastifyInstance>().register(fastifyStatic, {
      root: DEMO_PAGE_ROOT,
      serve: false,
      contentType: false,
      cacheControl: false,
      etag: false,
      lastModified: false,
      acceptRanges: false,
    });
  }

  onApplicationBootstrap(): void {
    new Logger(DemoModule.name).warn(
      'DEMO_ENABLED: /demo is served and mints a token for any user id asked for (never on a shared deployment)',
    );
  }
}
