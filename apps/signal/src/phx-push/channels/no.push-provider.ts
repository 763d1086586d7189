import { failEveryToken, PushMessage, PushProvider, PushSendReport } from './push-provider';

/** `PUSH_PROVIDER=none`: push is recorded as failed, permanently, with the reason. */
export class NoPushProvider implements PushProvider {
  readonly name = 'none';

  send(_message: PushMessage, tokens: string[]): Promise<PushSendReport> {
    return Promise.resolve(
      failEveryToken([...new Set(tokens)], {
        reason: 'no push provider configured (PUSH_PROVIDER=none)',
        transient: false,
      }),
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
