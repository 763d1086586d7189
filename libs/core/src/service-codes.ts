/** Codes of the services in the group. On the wire (client and group ids): change only with a migration plan. */
export const ServiceCodes = {
  SIGNAL: 'SIGNAL',
} as const;

export type ServiceCode = (typeof ServiceCodes)[keyof typeof ServiceCodes];
