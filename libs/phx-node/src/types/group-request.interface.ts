/** One pending request listed in an {@link IGroupRequestType}. */
export interface IGroupRequestItem {
  /** Id of the request in the calling system. */
  id: string | number;
  /** What the request is about. */
  title: string;
  /** Who made the request. */
  requester?: string;
  /** When the request was made, ISO-8601. */
  createdAt?: string;
}

/** One group of pending requests in an HR reminder e-mail (`EmailType.HRM_REMIND`). */
export interface IGroupRequestType {
  /** Kind of request the group holds, e.g. `OVERTIME`. */
  type: string;
  /** Heading of the group in the e-mail. */
  title: string;
  /** How many requests of this kind are pending (may exceed `requests.length`). */
  total: number;
  /** Absolute http(s) URL of the page where the requests are handled. */
  link?: string;
  /** Requests to list under the heading. */
  requests?: IGroupRequestItem[];
}
