import { EmailType, PhxPushPayload } from 'phx-node';

export const BENCH_ACTION_CODE = 'BENCH:PHX_SEND';
export const BENCH_APP = 'PHX_BENCH';

/**
 * bench:phx's notification `n` to one of `users` users, through every channel: in-app record,
 * push to the user's device, e-mail. `sentAt` (epoch ms) lets a socket event tell its latency.
 */
export function benchNotification(n: number, users: number, sentAt = 0): PhxPushPayload {
  const user = `bench-user-${n % users}`;
  return {
    user_id: user,
    hostname: 'bench.signal.local',
    action_code: BENCH_ACTION_CODE,
    pushNotiMobile: {
      title: 'Điểm danh',
      message: `Con đã đến trường (${n})`,
      module_code: 'BENCH',
      app: BENCH_APP,
      payload: { n, sentAt },
    },
    sendEmailV3: {
      emailType: EmailType.TRANSACTION_BASIC,
      to: `${user}@bench.signal.local`,
      subject: `Thông báo ${n}`,
      title: 'Thông báo',
      previewText: 'Một thông báo mới',
      content: `Nội dung ${n}`,
    },
  };
}
