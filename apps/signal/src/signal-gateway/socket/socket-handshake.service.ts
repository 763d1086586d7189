import { Injectable } from '@nestjs/common';
import { ReplayAnchor } from '@signal/persistence';
import { isUUID } from 'class-validator';
import { bearerToken } from '../../auth/user-jwt.guard';
import { UserPrincipal } from '../../auth/user-principal';
import { UserTokenVerifier } from '../../auth/user-token.verifier';
import { SignalErrorCode, SignalException } from '../../common/signal.exception';
import { ActivityInboxService } from '../inbox/activity-inbox.service';
import type { SignalSocket } from './signal-socket';

/** What the handshake established about a connection; kept in `socket.data`. */
export interface SocketSession {
  principal: UserPrincipal;
  /** The token's expiry: the socket is disconnected then. */
  tokenExpiresAt: Date;
  /** Replay what was missed since this notification, when the client presented the last id it saw. */
  replayAfter: ReplayAnchor | null;
}

/** Authenticates a Socket.IO handshake and resolves its replay cursor, before any room is joined. */
@Injectable()
export class SocketHandshakeService {
  constructor(
    private readonly verifier: UserTokenVerifier,
    private readonly inbox: ActivityInboxService,
  ) {}

  async open(socket: SignalSocket): Promise<SocketSession> {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const token =
      typeof auth.token === 'string'
        ? auth.token
        : bearerToken(socket.handshake.headers.authorization);
    const { principal, expiresAt } = this.verifier.verifyWithExpiry(token);
    return {
      principal,
      tokenExpiresAt: expiresAt,
      replayAfter: await this.replayCursor(principal, auth.lastNotificationId),
    };
  }

  private async replayCursor(
    principal: UserPrincipal,
    lastId: unknown,
  ): Promise<SocketSession['replayAfter']> {
    if (lastId === undefined || lastId === null) return null;
    if (typeof lastId !== 'string' || !isUUID(lastId)) {
      throw new SignalException(SignalErrorCode.INVALID_INPUT, 'lastNotificationId must be a UUID');
    }
    return this.inbox.replayAnchor(principal, lastId, 'lastNotificationId');
  }
}
