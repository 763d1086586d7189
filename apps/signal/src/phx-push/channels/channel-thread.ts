import { once } from 'node:events';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { errorMessage } from '../../common/error-message';
import { CorrelationContext } from '../../logging/correlation-context';
import { ChannelError } from './channel-failure';
import {
  ChannelCall,
  ChannelResults,
  ChannelThreadReply,
  ChannelThreadRequest,
  ChannelThreadSettings,
} from './channel-thread.protocol';
import { EmailSender } from './email-sender';
import { CHANNEL_THREAD_STOP_GRACE_MS } from './send-time';
import { failEveryToken, PushProvider } from './push-provider';
import { senderDomain } from './smtp.email-sender';

// Built, the thread is a bundle of its own beside main.js; run from source (tests), a .ts file.
const WORKER_FILE = join(__dirname, `channel-thread.worker${extname(__filename)}`);
const FROM_SOURCE = [
  '--require',
  'ts-node/register/transpile-only',
  '--require',
  'tsconfig-paths/register',
];

interface PendingCall {
  resolve: (value: ChannelResults[ChannelCall['kind']]) => void;
  reject: (error: ChannelError) => void;
}

/**
 * Push and e-mail sends in a worker thread of their own. Composing an e-mail and talking SMTP
 * and HTTP to providers is most of the CPU a delivery costs; on the main thread it delayed
 * accepting requests and storing records, which callers and the Notification Center wait for.
 * The thread starts with the first send; if it dies, the sends in flight fail as transient (the
 * retry scheduler tries them again) and the next send starts a new one.
 */
export class ChannelThread {
  private readonly logger = new Logger(ChannelThread.name);
  /** The configured provider (`PUSH_PROVIDER`), in the thread. */
  readonly push: PushProvider;
  /** SMTP (`SMTP_URL`), in the thread. */
  readonly email: EmailSender;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 0;
  private closing: Promise<void> | null = null;

  constructor(private readonly settings: ChannelThreadSettings) {
    // Here rather than at the first e-mail: a bad SMTP_FROM stops the app at boot.
    senderDomain(settings.smtp.from);
    this.push = {
      name: settings.push.provider.kind,
      // A provider never rejects: a thread that failed fails every token.
      send: (message, tokens) =>
        this.call({ kind: 'push', message, tokens }).catch(({ reason, transient }: ChannelError) =>
          failEveryToken([...new Set(tokens)], { reason, transient }),
        ),
      close: () => this.close(),
    };
    this.email = {
      send: (notificationId, email) => this.call({ kind: 'email', notificationId, email }),
    };
  }

  /** Lets the sends in flight finish (for at most a few seconds), then stops the thread. */
  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private call<K extends ChannelCall['kind']>(
    call: Extract<ChannelCall, { kind: K }>,
  ): Promise<ChannelResults[K]> {
    if (this.closing) {
      return Promise.reject(new ChannelError('the channel thread is closing', true));
    }
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise<ChannelResults[K]>((resolve, reject) => {
      try {
        worker.postMessage({ ...call, id } satisfies ChannelThreadRequest);
      } catch (error) {
        // Not cloneable: the same data would fail the same way again.
        reject(
          new ChannelError(
            `cannot hand the send to the channel thread: ${errorMessage(error)}`,
            false,
          ),
        );
        return;
      }
      this.pending.set(id, { resolve: resolve as PendingCall['resolve'], reject });
    });
  }

  private start(): Worker {
    // The thread's events would otherwise be logged under the id of whichever send started it.
    const worker = CorrelationContext.outside(
      () =>
        new Worker(WORKER_FILE, {
          workerData: this.settings,
          execArgv: WORKER_FILE.endsWith('.ts') ? FROM_SOURCE : undefined,
        }),
    );
    worker.on('message', (reply: ChannelThreadReply) => {
      const call = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!call) return;
      if ('failure' in reply)
        call.reject(new ChannelError(reply.failure.reason, reply.failure.transient));
      else call.resolve(reply.value);
    });
    worker.on('error', (error) =>
      this.logger.error(`the channel thread failed: ${errorMessage(error)}`),
    );
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      if (this.pending.size === 0) return;
      const failure = new ChannelError(`the channel thread stopped (exit code ${code})`, true);
      for (const call of this.pending.values()) call.reject(failure);
      this.pending.clear();
    });
    return worker;
  }

  private async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = once(worker, 'exit');
    worker.postMessage({ kind: 'close' } satisfies ChannelThreadRequest);
    const timer = setTimeout(() => void worker.terminate(), CHANNEL_THREAD_STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
}
