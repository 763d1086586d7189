import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the server accepted, with its SMTP envelope. */
export interface ReceivedMail {
  envelope: { from: string | null; to: string[] };
  mail: ParsedMail;
}

/**
 * A real SMTP server on 127.0.0.1 (random port, no TLS, no auth) that keeps every accepted
 * message parsed with mailparser, and can reject chosen recipients with the reply a test names.
 */
export class SmtpTestServer {
  readonly received: ReceivedMail[] = [];
  private readonly rejections = new Map<string, { code: number; message: string }>();

  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      const rejection = this.rejections.get(address.address.toLowerCase());
      if (!rejection) return callback();
      const error = new Error(rejection.message) as Error & { responseCode: number };
      error.responseCode = rejection.code;
      callback(error);
    },
    onData: (stream, session, callback) => {
      // The client's send resolves once this callback runs: the message is recorded by then.
      simpleParser(stream)
        .then((mail) => {
          this.received.push({
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            },
            mail,
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });

  private constructor() {}

  static async start(): Promise<SmtpTestServer> {
    const instance = new SmtpTestServer();
    const { server } = instance;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return instance;
  }

  /** `smtp://127.0.0.1:<port>`. */
  get url(): string {
    const { port } = this.server.server.address() as AddressInfo;
    return `smtp://127.0.0.1:${port}`;
  }

  /** Answers `RCPT TO:<address>` with `code message`, e.g. 550 (permanent) or 450 (transient). */
  rejectRecipient(address: string, code: number, message: string): void {
    this.rejections.set(address.toLowerCase(), { code, message });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
