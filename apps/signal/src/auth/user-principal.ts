import { InboxOwner, InboxRecipient } from '@signal/persistence';

/** The user behind a verified JWT. */
export interface UserPrincipal {
  userId: string;
  organizerId: string | null;
  merchantIds: string[];
}

/**
 * The user's activity inbox: their own rows (scope `users`), their organizer's (`org`) and each
 * merchant's (`merchant`). Matched by (scope, id): user, organizer and merchant ids share one
 * namespace, and a user whose id equals some organizer's id must not see that organizer's rows.
 */
export function inboxOwnerOf(principal: UserPrincipal): InboxOwner {
  const recipients: InboxRecipient[] = [
    { scope: 'users', id: principal.userId },
    ...(principal.organizerId ? [{ scope: 'org' as const, id: principal.organizerId }] : []),
    ...principal.merchantIds.map((id) => ({ scope: 'merchant' as const, id })),
  ];
  const distinct = new Map(recipients.map((r) => [`${r.scope}/${r.id}`, r]));
  return { userId: principal.userId, recipients: [...distinct.values()] };
}
