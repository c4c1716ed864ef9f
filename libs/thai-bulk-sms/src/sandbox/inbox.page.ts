import { INBOX_SCRIPT } from './inbox.script';
import { INBOX_STYLES } from './inbox.styles';

/**
 * The sandbox inbox at `/`: one static page, no build step. Its script (inbox.script.ts) reads the
 * JSON endpoints under `/__sandbox/` and builds every node with `textContent`, never with HTML
 * strings, so a message that contains markup is shown as the text it is. The server also sends a
 * CSP that blocks any script but this one.
 */
export const INBOX_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ThaiBulkSMS sandbox inbox</title>
<style>${INBOX_STYLES}</style>
</head>
<body>
<header>
  <div><h1>ThaiBulkSMS sandbox</h1><div class="sub">Nothing here reaches a phone</div></div>
  <div class="spacer"></div>
  <span class="pill">Standard <b id="credit-standard">–</b></span>
  <span class="pill">Corporate <b id="credit-corporate">–</b></span>
  <span class="pill"><span id="live" class="live"></span><span id="updated">connecting…</span></span>
  <button id="pause" type="button">Pause</button>
  <button id="clear" type="button" title="Empties every list and restores the starting balances (POST /__sandbox/reset)">Clear</button>
</header>
<main>
  <section>
    <h2>Messages <span class="count" id="message-count">0</span><input id="search" type="search" placeholder="Search number or text" aria-label="Search number or text"></h2>
    <table>
      <thead><tr><th>Time</th><th>Sender</th><th>Number</th><th>Text</th><th>Parts</th><th>Credits</th><th>Status</th></tr></thead>
      <tbody id="messages"></tbody>
    </table>
    <div class="empty" id="messages-empty">No messages yet. POST /sms to this sandbox and they show up here.</div>
    <div class="pager"><button id="newer" type="button" disabled>← Newer</button><span id="page-info">0–0 of 0</span><button id="older" type="button" disabled>Older →</button></div>
  </section>
  <div class="side">
    <section>
      <h2>OTP PINs <span class="count" id="otp-count">0</span></h2>
      <div id="otps"></div>
      <div class="empty" id="otps-empty">No OTP requested yet.</div>
    </section>
    <section>
      <h2>Traffic</h2>
      <div class="kv" id="stats"></div>
    </section>
  </div>
</main>
<dialog id="detail" aria-labelledby="detail-title">
  <div class="head"><h3 id="detail-title">Message</h3><button id="detail-close" type="button">Close</button></div>
  <div class="body">
    <h4>Request</h4>
    <dl class="fields" id="detail-fields"></dl>
    <h4>Delivery reports the sandbox sent, and the answers it got</h4>
    <div id="detail-reports"></div>
  </div>
</dialog>
<footer>Refreshes every 2 seconds from <code>/__sandbox/*</code>. Click a message for every field and its delivery reports. Times are Asia/Bangkok.</footer>
<script>${INBOX_SCRIPT}</script>
</body>
</html>
`;
