import { Test, TestingModule } from '@nestjs/testing';
import { SignalConfigModule } from '../../../../apps/signal/src/config/signal-config.module';
import { PhxChannelsModule } from '../../../../apps/signal/src/phx-push/channels/phx-channels.module';
import { testSignalConfig } from '../../../support/test-config';

/** PhxChannelsModule as the app wires it, configured from `env` (variable name → value). */
export async function startPhxChannels(env: Record<string, string>): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [SignalConfigModule.forRoot(testSignalConfig(env)), PhxChannelsModule],
  }).compile();
  return moduleRef.init();
}
