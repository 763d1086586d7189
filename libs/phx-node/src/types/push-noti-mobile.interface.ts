/** Mobile push notification block of a {@link PushInappNoti}. */
export interface PushNotiMobile {
  /** Title shown on the push notification (≤ 200 characters). */
  title: string;
  /** Body shown on the push notification (≤ 2000 characters). */
  message: string;
  /** Business module the notification belongs to, e.g. `HRM_CHECKIN`. */
  module_code: string;
  /** App whose registered devices receive the push, e.g. `PHX_PARENT`. */
  app: string;
  /**
   * Data handed to the app to route the user, e.g. `{ action: 'OPEN_CHECK_IN_PAGE' }`: any JSON
   * value (seed 004: `payload: any`). Push providers take a map of strings: an object's string
   * values pass as they are and its other values as JSON; any other value `v` goes as the object
   * `{ payload: v }` would.
   */
  payload: unknown;
}
