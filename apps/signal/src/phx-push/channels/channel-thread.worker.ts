import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../common/error-message';
import { ChannelError, ChannelFailure } from './channel-failure';
import {
  ChannelCall,
  ChannelThreadReply,
  ChannelThreadRequest,
  ChannelThreadSettings,
} from './channel-thread.protocol';
import { EmailTemplateRenderer } from './email-template.renderer';
import { createPushProvider } from './push-provider.factory';
import { SmtpEmailSender } from './smtp.email-sender';

/**
 * The channel thread's side (see `ChannelThread`): the configured push provider and the SMTP
 * sender, answering each call with its result or its failure, until asked to close.
 */
function serve(port: MessagePort, settings: ChannelThreadSettings): void {
  const push = createPushProvider(settings.push);
  const email = new SmtpEmailSender(
    settings.smtp,
    settings.smtpConnections,
    new EmailTemplateRenderer(),
  );

  const run = (call: ChannelCall) =>
    call.kind === 'push'
      ? push.send(call.message, call.tokens)
      : email.send(call.notificationId, call.email);
  const inFlight = new Set<Promise<void>>();

  port.on('message', (request: ChannelThreadRequest) => {
    if (request.kind === 'close') {
      // Sends in flight finish first (the main thread stops the thread if they take too long).
      void Promise.allSettled([...inFlight])
        .then(() => {
          email.close();
          return push.close();
        })
        .finally(() => port.close());
      return;
    }
    const answered = run(request)
      .then(
        (value): ChannelThreadReply => ({ id: request.id, value }),
        (error: unknown): ChannelThreadReply => ({ id: request.id, failure: failureOf(error) }),
      )
      .then((reply) => port.postMessage(reply))
      .finally(() => inFlight.delete(answered));
    inFlight.add(answered);
  });
}

/** A non-channel error is a bug or bad data: sending again would fail the same way. */
function failureOf(error: unknown): ChannelFailure {
  if (error instanceof ChannelError) return { reason: error.reason, transient: error.transient };
  return { reason: errorMessage(error), transient: false };
}

/**
 * Push and e-mail take the CPU that accepting requests and storing records leave: on a busy
 * machine they queue (the database holds them) instead of slowing what callers wait for. Linux
 * sets the priority of a single thread through its thread id; elsewhere the thread keeps its own.
 */
function yieldToMainThread(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(threadId, constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not Linux: no per-thread priority to set.
  }
}

if (parentPort) {
  yieldToMainThread();
  serve(parentPort, workerData as ChannelThreadSettings);
}
