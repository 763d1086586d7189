import { DynamicModule, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { DemoController } from './demo.controller';
import { DemoTokenService } from './demo-token.service';

/** Long enough for a demo session, short enough that a leaked demo token soon stops working. */
export const DEMO_TOKEN_TTL_SECONDS = 3600;

/**
 * The Notification Center demo page at `/demo`: registered only when
 * DEMO_ENABLED, so without it every `/demo` route is a plain 404.
 */
@Module({})
export class DemoModule implements OnApplicationBootstrap {
  static register(settings: { jwtSecret: string }): DynamicModule {
    return {
      module: DemoModule,
      imports: [
        JwtModule.register({
          secret: settings.jwtSecret,
          signOptions: { algorithm: 'HS256', expiresIn: DEMO_TOKEN_TTL_SECONDS },
        }),
      ],
      controllers: [DemoController],
      providers: [DemoTokenService],
    };
  }

  onApplicationBootstrap(): void {
    new Logger(DemoModule.name).warn(
      'DEMO_ENABLED: /demo is served and mints a token for any user id asked for (never on a shared deployment)',
    );
  }
}
