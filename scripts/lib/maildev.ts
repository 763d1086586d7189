/** An e-mail as MailDev's REST API (`GET /api/email`, MailDev 3) returns it; the fields used here. */
export interface MailDevEmail {
  id: string;
  subject: string;
  from: { address: string; name: string }[];
  to: { address: string; name: string }[];
  /** The HTML part, as MailDev shows it. */
  html?: string;
  text?: string;
}

/** Every e-mail the MailDev whose web UI is at `webUrl` holds, oldest first. */
export async function mailDevEmails(webUrl: string): Promise<MailDevEmail[]> {
  const answer = await fetch(new URL('/api/email', webUrl));
  if (!answer.ok) throw new Error(`MailDev answered GET /api/email with ${answer.status}`);
  return (await answer.json()) as MailDevEmail[];
}
