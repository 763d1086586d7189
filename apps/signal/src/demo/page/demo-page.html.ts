/** What the page shows besides the Notification Center. */
export interface DemoPageOptions {
  /** Web UI of the mail catcher to link to; null: no link. */
  mailCatcherUrl: string | null;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '"': '&quot;',
  '<': '&lt;',
  '>': '&gt;',
};

/** A URL the configuration validated as http(s) may still hold `"`, `&` or `<`. */
function mailCatcherLink(url: string | null): string {
  if (url === null) return '';
  const escaped = url.replace(/[&"<>]/g, (character) => HTML_ESCAPES[character]);
  return `
      <p class="hint">
        E-mails go to the mail catcher:
        <a href="${escaped}" target="_blank" rel="noopener noreferrer" data-testid="mail-catcher-link">${escaped}</a>
      </p>`;
}

/** The Notification Center demo page; behaviour in `demo-page.script.ts`, looks in `demo-page.style.ts`. */
export const demoPageHtml = ({ mailCatcherUrl }: DemoPageOptions): string => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Signal · Notification Center demo</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/demo/demo.css" />
    <script src="/socket.io/socket.io.js" defer></script>
    <script src="/demo/demo.js" defer></script>
  </head>
  <body>
    <header>
      <h1>Signal · Notification Center demo</h1>
      <p class="hint">Development only: anyone here can sign in as any user.</p>${mailCatcherLink(mailCatcherUrl)}
    </header>

    <form id="sign-in" data-testid="sign-in-form">
      <label>User id <input name="sub" data-testid="sign-in-user" required maxlength="128" autocomplete="off" /></label>
      <label>Organizer id <input name="organizerId" data-testid="sign-in-organizer" maxlength="128" autocomplete="off" /></label>
      <label>Merchant ids <input name="merchantIds" data-testid="sign-in-merchants" placeholder="comma-separated" autocomplete="off" /></label>
      <button type="submit" data-testid="sign-in-submit">Sign in</button>
    </form>

    <section class="session" aria-label="Connection">
      <p>
        <span data-testid="signed-in-as">Not signed in</span> ·
        Socket: <strong data-testid="connection-status">offline</strong>
        <button type="button" data-testid="connection-toggle" disabled>Disconnect</button>
      </p>
      <p data-testid="recovery-status" role="status" aria-live="polite"></p>
      <p data-testid="error" role="alert" class="error"></p>
    </section>

    <main>
      <section aria-labelledby="activity-heading">
        <h2 id="activity-heading">
          Activity <span class="badge" data-testid="activity-unread">0</span>
        </h2>
        <button type="button" data-testid="activity-mark-all-read" disabled>Mark all read</button>
        <ul data-testid="activity-list" aria-live="polite" aria-relevant="additions"></ul>
      </section>

      <section aria-labelledby="records-heading">
        <h2 id="records-heading">
          Notification Center <span class="badge" data-testid="records-unread">0</span>
        </h2>
        <p class="tabs" data-testid="records-unread-by-tab"></p>
        <button type="button" data-testid="records-mark-all-read" disabled>Mark all read</button>
        <ul data-testid="records-list" aria-live="polite" aria-relevant="additions"></ul>
      </section>
    </main>
  </body>
</html>
`;
