/** The user behind a verified JWT. */
export interface UserPrincipal {
  userId: string;
  organizerId: string | null;
  merchantIds: string[];
}

/** Every recipient id whose notifications the user sees: their own, their organizer's, their merchants'. */
export function recipientIdsOf(principal: UserPrincipal): string[] {
  return [
    ...new Set([
      principal.userId,
      ...(principal.organizerId ? [principal.organizerId] : []),
      ...principal.merchantIds,
    ]),
  ];
}
