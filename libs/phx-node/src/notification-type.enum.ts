/** Notification Center tab a record is shown under. On the wire. */
export enum NotificationType {
  SYSTEM = 'SYSTEM',
  TO_ME = 'TO_ME',
}
