import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { isTransientDatabaseError, PhxDeliveryRepository } from '@signal/persistence';
import pLimit from 'p-limit';
import { errorMessage } from '../../common/error-message';
import { SignalConfig } from '../../config/signal-config';
import { ChannelSend, ChannelSender } from '../channels/channel-sender';
import { DELIVERY_CHUNKS_IN_FLIGHT } from '../channels/send-time';
import { BackgroundDeliveries } from './background-deliveries';
import {
  hasOpenExternalChannel,
  OpenRequest,
  partition,
  RequestToDeliver,
  withInAppSent,
} from './delivery-state';
import { EmailChannelSender } from './email.channel-sender';
import { PhxInAppDelivery } from './in-app.delivery';
import { Attempt, Claim, DELIVERY_LOG_CONTEXT, PhxDeliveryClaims } from './phx-delivery-claims';
import { PushChannelSender } from './push.channel-sender';

/** Requests the Kafka path may have in the background; past it the database is the queue. */
const BACKGROUND_BACKLOG = 1000;

/**
 * Delivers accepted requests: the Notification Records and their socket events
 * ({@link PhxInAppDelivery}), then push and e-mail, with a few statements per batch whatever its
 * size. Push and e-mail go out in chunks of `PHX_DELIVERY_CHUNK_SIZE` requests, a few chunks at
 * once, each chunk claimed, sent and settled by {@link PhxDeliveryClaims} and the channels'
 * {@link ChannelSender}s. A transient send failure schedules the channel's next attempt in the
 * database (backoff, see `ChannelRetryPolicy`) rather than holding up the Kafka partition;
 * `PhxDeliveryRetryScheduler` runs it when due, and takes over channels whose sender died once
 * their lease expires.
 */
@Injectable()
export class PhxRequestDeliverer implements OnModuleDestroy {
  private readonly logger = new Logger(DELIVERY_LOG_CONTEXT);
  private readonly leaseMs: number;
  private readonly chunkSize: number;
  private readonly shutdownMs: number;
  /**
   * Shared by the Kafka path and the retry scheduler: while one chunk waits on the database, the
   * others' sends are on the wire. A chunk is claimed only once it has a slot
   * and its sends start right away, so a lease only has to outlast the sends of a few chunks.
   */
  private readonly chunks = pLimit(DELIVERY_CHUNKS_IN_FLIGHT);
  private readonly background = new BackgroundDeliveries(BACKGROUND_BACKLOG);
  private readonly senders: ChannelSender[];

  constructor(
    config: SignalConfig,
    private readonly deliveries: PhxDeliveryRepository,
    private readonly inApp: PhxInAppDelivery,
    private readonly claims: PhxDeliveryClaims,
    push: PushChannelSender,
    email: EmailChannelSender,
  ) {
    this.leaseMs = config.phx.deliveryLeaseMs;
    this.chunkSize = config.phx.deliveryChunkSize;
    this.shutdownMs = config.shutdown.timeoutMs;
    this.senders = [push, email];
  }

  /**
   * The Kafka path: delivers what is left of each request; answers the ids that name no stored
   * request. Records and in-app events are done for all of them before this resolves; push and
   * e-mail are made due in the database and sent in the background, so a slow provider never
   * delays the next records — a crash leaves them due for the retry scheduler.
   */
  async deliverAccepted(requests: RequestToDeliver[]): Promise<string[]> {
    const { unknown, open } = await this.load(requests);
    // Past the backlog the database is the queue: the retry scheduler takes them in turn.
    const sendHere = this.background.hasRoom();
    // Sent here: the scheduler steps in only if this process dies first (a lease, in effect).
    const external = await this.deliverInApp(open, { dueInMs: sendHere ? this.leaseMs : 0 });
    if (sendHere && external.length > 0) {
      this.background.run(external.length, () =>
        this.deliverExternal(external).catch((error: unknown) =>
          // The channels stay due: the retry scheduler takes them over.
          this.logger.warn(`background delivery failed: ${errorMessage(error)}`),
        ),
      );
    }
    return unknown;
  }

  /**
   * The retry scheduler's path: delivers what is left of each request, push and e-mail
   * included, before resolving; answers the ids that name no stored request.
   */
  async deliverDue(requests: RequestToDeliver[]): Promise<string[]> {
    const { unknown, open } = await this.load(requests);
    // Their push and e-mail are due already.
    const external = await this.deliverInApp(open, { dueInMs: null });
    await this.deliverExternal(external);
    return unknown;
  }

  /**
   * Waits for the chunks being sent, queued ones left due now for the next instance; then gives
   * the settles still retried a last chance, within half the shutdown deadline (the rest is the
   * channel thread's, the sockets' and the database's).
   */
  async onModuleDestroy(): Promise<void> {
    await this.background.close();
    await this.claims.close(this.shutdownMs / 2);
  }

  /** The stored requests still accepted; finished ones were completed by an earlier delivery. */
  private async load(
    requests: RequestToDeliver[],
  ): Promise<{ unknown: string[]; open: OpenRequest[] }> {
    const states = await this.deliveries.loadMany(requests.map((r) => r.requestId));
    const unknown = requests.filter((r) => !states.has(r.requestId)).map((r) => r.requestId);
    const open = requests.flatMap((request) => {
      const state = states.get(request.requestId);
      if (state?.status !== 'accepted') return [];
      // The sender's id, also when the scheduler or a header-less hand-off brought the request.
      return [{ ...request, correlationId: state.correlationId ?? request.correlationId, state }];
    });
    return { unknown, open };
  }

  /**
   * Records and in-app events of `open`, their push and e-mail made due `dueInMs` from now (left
   * as they are with `null`); answers the requests with push or e-mail still to send.
   */
  private async deliverInApp(
    open: OpenRequest[],
    { dueInMs }: { dueInMs: number | null },
  ): Promise<OpenRequest[]> {
    if (open.length === 0) return [];
    const [external, inAppOnly] = partition(open, ({ state }) => hasOpenExternalChannel(state));
    await this.inApp.deliver(
      open.map(({ state }) => state),
      {
        // Their other channels were final when loaded and in_app is sent now: nothing to re-read.
        completed: inAppOnly.map(({ state }) => withInAppSent(state)),
        due: dueInMs === null ? [] : external.map(({ state }) => state.requestId),
        dueInMs: dueInMs ?? 0,
      },
    );
    return external;
  }

  /**
   * Push and e-mail of these requests, chunk by chunk (`DELIVERY_CHUNKS_IN_FLIGHT` at once);
   * settles once every chunk is done, failing with the first failure. Once closing, chunks not
   * started are handed back, due now for the next instance.
   */
  private async deliverExternal(requests: OpenRequest[]): Promise<void> {
    const chunks = await Promise.allSettled(
      chunksOf(requests, this.chunkSize).map((chunk) =>
        this.chunks(() =>
          this.background.isClosing ? this.claims.handBack(chunk) : this.deliverOrHandBack(chunk),
        ),
      ),
    );
    const failed = chunks.find((chunk) => chunk.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** A chunk the database refused before sending is handed back once it is back. */
  private async deliverOrHandBack(requests: OpenRequest[]): Promise<void> {
    try {
      await this.deliverChunk(requests);
    } catch (error) {
      if (isTransientDatabaseError(error)) await this.claims.handBackWhenBack(requests);
      throw error;
    }
  }

  /**
   * Push and e-mail of a chunk: claimed, sent concurrently, settled. A settle the database
   * refuses is retried in the background (the chunk's slot goes to the next one) while the
   * claims' lease lasts.
   */
  private async deliverChunk(requests: OpenRequest[]): Promise<void> {
    const { claims, leaseEndsAt } = await this.claims.claim(requests);
    if (claims.length === 0) return;
    await this.claims.settle(await this.send(claims), leaseEndsAt);
  }

  /** Each claim sent by its channel's sender; answers how each went. */
  private async send(claims: Claim[]): Promise<Attempt[]> {
    const sends = new Map<string, ChannelSend>();
    // Every sender reads what it needs before any channel is sent: a chunk the database refuses
    // here has sent nothing, and its claims are retried once their lease runs out.
    for (const sender of this.senders) {
      const mine = claims.filter((claim) => claim.channel === sender.channel);
      sends.set(sender.channel, await sender.prepare(mine.map(channelAttemptOf)));
    }
    const tried = await Promise.allSettled(
      claims.map((claim) => sends.get(claim.channel)!(channelAttemptOf(claim))),
    );
    return tried.flatMap((result, n) => {
      const claim = claims[n];
      if (result.status === 'fulfilled') return [{ claim, ...result.value }];
      // A bug rather than a failed delivery: the lease runs out, then the scheduler tries again.
      this.logger.error(
        `${claim.request.requestId} ${claim.channel}: ${errorMessage(result.reason)}`,
      );
      return [];
    });
  }
}

const channelAttemptOf = ({ request, attempt }: Claim) => ({ state: request.state, attempt });

function chunksOf<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, n) =>
    items.slice(n * size, (n + 1) * size),
  );
}
