import { Injectable } from '@nestjs/common';
import {
  PhxNotificationPreferenceRepository,
  PhxNotificationPreferenceView,
} from '@signal/persistence';
import { SignalErrorCode, SignalException } from '../../common/signal.exception';
import { PreferenceDto } from './admin.dto';

/** A user's own on/off per action code and channel (no row: on). */
@Injectable()
export class UserPreferencesService {
  constructor(private readonly preferences: PhxNotificationPreferenceRepository) {}

  list(userId: string): Promise<PhxNotificationPreferenceView[]> {
    return this.preferences.listForUser(userId);
  }

  /** Replaces the user's whole set; one entry per (action code, channel). */
  replace(userId: string, preferences: PreferenceDto[]): Promise<PhxNotificationPreferenceView[]> {
    const seen = new Set<string>();
    const repeated: string[] = [];
    for (const { actionCode, channel } of preferences) {
      const pair = `${actionCode} / ${channel}`;
      if (seen.has(pair)) repeated.push(`preferences: ${pair} appears more than once`);
      seen.add(pair);
    }
    if (repeated.length > 0) {
      throw new SignalException(SignalErrorCode.INVALID_INPUT, repeated.join('; '));
    }
    return this.preferences.replaceForUser(userId, preferences);
  }
}
