import { DynamicModule, Global, Module } from '@nestjs/common';
import { SignalConfig } from './signal-config';

/** Makes the configuration validated in `main.ts` injectable as `SignalConfig`. */
@Global()
@Module({})
export class SignalConfigModule {
  static forRoot(config: SignalConfig): DynamicModule {
    return {
      module: SignalConfigModule,
      providers: [{ provide: SignalConfig, useValue: config }],
      exports: [SignalConfig],
    };
  }
}
