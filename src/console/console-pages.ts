import type { LedgerDailyPoint, LedgerMessage, LedgerMessageSummary, LedgerOtp } from '@app/thai-bulk-sms/ledger';
import { dailyChart, dailyTable } from './console-chart';
import { html, Html } from './html';

// The operator console's pages, server-rendered: plain forms and links, no script at all.

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d232b;background:#f5f6f8}
header{display:flex;align-items:center;gap:16px;padding:10px 24px;background:#1d3557;color:#fff}
header h1{font-size:17px;margin:0;flex:1}header a{color:#fff}
main{padding:18px 24px;max-width:1000px}section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:14px 18px;margin-bottom:16px}
h2{font-size:15px;margin:0 0 10px}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceff2;vertical-align:top}
th{font-weight:600;color:#4a5563}input[type=text],input[type=password]{padding:6px 8px;width:320px;border:1px solid #b8c0ca;border-radius:4px}
button{padding:6px 14px;border:0;border-radius:4px;background:#1d6fb8;color:#fff;cursor:pointer}header button{background:#457b9d}
.error{color:#b3261e}.muted{color:#6b7480}.status{font-weight:600}code{font-size:12px;word-break:break-all}
svg .sent{fill:#6c8ebf}svg .delivered{fill:#2e9e5b}svg .failed{fill:#d9534f}svg .label{font-size:11px;fill:#4a5563}
svg .rate{font-size:11px;font-weight:600;fill:#1d232b}svg .axis{stroke:#8a94a0}
`;

export function layout(nonce: string, title: string, body: Html, signedIn: boolean): string {
  const signOut = signedIn
    ? html`<form method="post" action="/console/sign-out"><button type="submit">Sign out</button></form>`
    : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · SMS ledger console</title>
        <style nonce="${nonce}">
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        <header>
          <h1><a href="/console">SMS ledger console</a></h1>
          ${signOut}
        </header>
        <main>${body}</main>
      </body>
    </html>`.text;
}

export function signInPage(problem?: string): Html {
  return html`<section>
    <h2>Sign in</h2>
    <p>
      Sign in with one of the app's API keys (APP_API_KEYS). The browser keeps a signed session cookie, never the key.
    </p>
    <form method="post" action="/console/sign-in">
      <label>API key <input type="password" name="key" autocomplete="current-password" required /></label>
      <button type="submit">Sign in</button>
    </form>
    ${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
  </section>`;
}

export interface DashboardView {
  readonly query: string;
  readonly results?: readonly LedgerMessageSummary[];
  /** A phone's OTP requests, newest first (a search by phone only). */
  readonly otps?: readonly LedgerOtp[];
  readonly problem?: string;
  readonly series: readonly LedgerDailyPoint[];
}

export function dashboardPage(view: DashboardView): Html {
  return html`<section>
      <h2>Find messages</h2>
      <form method="get" action="/console">
        <input
          type="text"
          name="q"
          value="${view.query}"
          placeholder="Phone (0812345678) or message id"
          maxlength="128"
          aria-label="Phone or message id"
        />
        <button type="submit">Search</button>
      </form>
      ${view.problem ? html`<p class="error" role="alert">${view.problem}</p>` : ''}${view.results ? resultsTable(view.results) : ''}${view.otps?.length ? otpTable(view.otps) : ''}
    </section>
    <section>
      <h2>Last ${view.series.length} days</h2>
      ${dailyChart(view.series)}${dailyTable(view.series)}
    </section>`;
}

function resultsTable(items: readonly LedgerMessageSummary[]): Html {
  if (items.length === 0) return html`<p id="results" class="muted">Nothing found.</p>`;
  const rows = items.map(
    (m) =>
      html`<tr>
        <td>${m.createdAt.toISOString()}</td>
        <td>
          ${m.messageId ? html`<a href="/console/messages/${encodeURIComponent(m.messageId)}">${m.messageId}</a>` : html`<span class="muted">none</span>`}
        </td>
        <td>${m.phone}</td>
        <td>${m.sender}</td>
        <td class="status">${m.status}</td>
        <td>${m.tags.join(', ')}</td>
        <td>${m.errorName ?? ''}</td>
      </tr>`,
  );
  return html`<table id="results">
    <thead>
      <tr>
        <th>Sent</th>
        <th>Message id</th>
        <th>Phone</th>
        <th>Sender</th>
        <th>Status</th>
        <th>Tags</th>
        <th>Error</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function otpTable(otps: readonly LedgerOtp[]): Html {
  const rows = otps.map(
    (o) =>
      html`<tr>
        <td>${o.createdAt.toISOString()}</td>
        <td>${o.refno ?? ''}</td>
        <td class="status">${o.status}</td>
        <td>${o.failedAttempts}</td>
        <td>${o.statusAt.toISOString()}</td>
        <td>${o.errorName ?? ''}</td>
      </tr>`,
  );
  return html`<h2>OTP requests</h2>
    <table id="otps">
      <thead>
        <tr>
          <th>Requested</th>
          <th>Ref. no.</th>
          <th>Status</th>
          <th>Wrong codes</th>
          <th>Status since</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>`;
}

export function messagePage(m: LedgerMessage): Html {
  const fields: [string, unknown][] = [
    ['Message id', m.messageId ?? 'none'],
    ['Phone', m.phone],
    ['Sender', m.sender],
    ['Status', m.status],
    ['Credits', `${m.creditsUsed} (${m.creditType})`],
    ['Tags', m.tags.join(', ')],
    ['Sent', m.createdAt.toISOString()],
    ['Text', `SHA-256 ${m.text.sha256}, ${m.text.length} characters, ${m.text.encoding}, ${m.text.parts} part(s)`],
    // Only with LEDGER_MESSAGE_TEXT=full does the ledger keep the text itself.
    ...(m.text.full !== undefined ? [['Text as sent', m.text.full] as [string, unknown]] : []),
    ...(m.errorName ? [['Error', m.errorName] as [string, unknown]] : []),
  ];
  const events = m.events.map(
    (e) =>
      html`<tr>
        <td>${e.at.toISOString()}</td>
        <td>${e.source}</td>
        <td class="status">${e.status}</td>
        <td>${e.raw ? html`<code>${JSON.stringify(e.raw)}</code>` : ''}</td>
      </tr>`,
  );
  return html`<section>
      <h2>Message</h2>
      <table id="message">
        ${fields.map(
          ([k, v]) =>
            html`<tr>
              <th>${k}</th>
              <td>${v}</td>
            </tr>`,
        )}
      </table>
    </section>
    <section>
      <h2>Status timeline</h2>
      <table id="timeline">
        <thead>
          <tr>
            <th>At</th>
            <th>Source</th>
            <th>Status</th>
            <th>Report as received</th>
          </tr>
        </thead>
        <tbody>
          ${events}
        </tbody>
      </table>
    </section>`;
}

export function notFoundPage(): Html {
  return html`<section>
    <h2>Not found</h2>
    <p>The ledger holds no message with this id.</p>
    <p><a href="/console">Back</a></p>
  </section>`;
}

export function unavailablePage(): Html {
  return html`<section>
    <h2>The ledger is unavailable</h2>
    <p class="error" role="alert">
      Its database does not answer. Sending goes on; the records wait in memory and are written once it is back.
    </p>
  </section>`;
}
