/** E-mail template chosen by the Consumer. On the wire. */
export enum EmailType {
  /** Renders `content`. */
  TRANSACTION_BASIC = 'transaction-basic',
  /** Renders `listRequests`. */
  HRM_REMIND = 'hrm-remind',
}
