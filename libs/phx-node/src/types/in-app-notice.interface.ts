/** In-app-only notice (Signal's extension): a Notification Center record without push or e-mail. */
export interface InAppNotice {
  /** Title of the record (≤ 200 characters). */
  title: string;
  /** Body of the record (≤ 2000 characters). */
  message: string;
  /** Data handed to the app when the record is opened: any JSON value, as in `pushNotiMobile`. */
  payload?: unknown;
}
