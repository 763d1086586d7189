import { DynamicModule, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { DEMO_PAGE_OPTIONS, DemoController } from './demo.controller';
import { DemoTokenService } from './demo-token.service';
import { DemoPageOptions } from './page/demo-page.html';

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

/**
 * The Notification Center demo page at `/demo`: registered only when
 * DEMO_ENABLED, so without it every `/demo` route is a plain 404.
 */
@Module({})
export class DemoModule implements OnApplicationBootstrap {
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

  onApplicationBootstrap(): void {
    new Logger(DemoModule.name).warn(
      'DEMO_ENABLED: /demo is served and mints a token for any user id asked for (never on a shared deployment)',
    );
  }
}
