/**
 * The sandbox inbox at `/`: one static page, no build step. It reads the JSON endpoints under
 * `/__sandbox/` and builds every node with `textContent`, never with HTML strings, so a message
 * that contains markup is shown as the text it is. The server also sends a CSP that blocks any
 * script but this one.
 */
export const INBOX_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ThaiBulkSMS sandbox inbox</title>
<style>
  :root { --bg:#f4f6f9; --panel:#fff; --line:#e3e7ee; --ink:#1c2430; --muted:#6b7688; --brand:#0f6fde; --ok:#1f8f4e; --bad:#c93a3a; --wait:#b07400; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans Thai",Sarabun,Garuda,sans-serif; color:var(--ink); background:var(--bg); }
  header { display:flex; align-items:center; gap:16px; padding:12px 24px; background:#14213d; color:#fff; }
  header h1 { font-size:17px; margin:0; font-weight:600; letter-spacing:.2px; }
  header .sub { color:#aab6cc; font-size:12px; }
  header .spacer { flex:1; }
  .pill { background:rgba(255,255,255,.1); border-radius:999px; padding:4px 12px; font-size:12.5px; white-space:nowrap; }
  .pill b { font-variant-numeric:tabular-nums; }
  .live { display:inline-block; width:8px; height:8px; border-radius:50%; background:#3ddc84; margin-right:6px; }
  .live.paused { background:#aab6cc; }
  button { font:inherit; border:1px solid var(--line); background:#fff; color:var(--ink); border-radius:6px; padding:5px 12px; cursor:pointer; }
  header button { background:transparent; color:#fff; border-color:rgba(255,255,255,.3); }
  main { display:grid; grid-template-columns:minmax(0,1fr) 340px; gap:20px; padding:20px 24px; }
  section { background:var(--panel); border:1px solid var(--line); border-radius:10px; overflow:hidden; }
  section h2 { font-size:13px; text-transform:uppercase; letter-spacing:.6px; color:var(--muted); margin:0; padding:12px 16px; border-bottom:1px solid var(--line); display:flex; align-items:center; gap:10px; }
  section h2 .count { background:var(--bg); color:var(--ink); border-radius:999px; padding:1px 8px; font-size:12px; text-transform:none; letter-spacing:0; }
  section h2 input { margin-left:auto; font:inherit; text-transform:none; letter-spacing:0; padding:4px 8px; border:1px solid var(--line); border-radius:6px; width:180px; }
  table { width:100%; border-collapse:collapse; }
  th, td { text-align:left; padding:9px 12px; border-bottom:1px solid var(--line); vertical-align:top; }
  th { font-size:12px; color:var(--muted); font-weight:600; background:#fafbfd; }
  td.num { font-variant-numeric:tabular-nums; text-align:right; }
  td.time { color:var(--muted); white-space:nowrap; font-variant-numeric:tabular-nums; }
  td.phone { font-family:ui-monospace,SFMono-Regular,Menlo,monospace; white-space:nowrap; }
  td.text { white-space:pre-wrap; word-break:break-word; max-width:520px; }
  tr.msg:hover { background:#f7faff; }
  .badge { display:inline-block; border-radius:4px; padding:1px 7px; font-size:12px; font-weight:600; }
  .s-accepted, .s-pending { background:#e8f0fe; color:var(--brand); }
  .s-scheduled { background:#fff4dc; color:var(--wait); }
  .s-delivered, .s-verified { background:#e3f5ea; color:var(--ok); }
  .s-failed, .s-expired { background:#fbe7e7; color:var(--bad); }
  .meta { color:var(--muted); font-size:12px; margin-top:3px; }
  .empty { padding:28px 16px; text-align:center; color:var(--muted); }
  .side { display:flex; flex-direction:column; gap:20px; }
  .otp { padding:12px 16px; border-bottom:1px solid var(--line); }
  .otp:last-child { border-bottom:0; }
  .otp .pin { font:600 24px/1.2 ui-monospace,SFMono-Regular,Menlo,monospace; letter-spacing:4px; }
  .otp .row { display:flex; align-items:center; justify-content:space-between; gap:8px; }
  .kv { display:grid; grid-template-columns:1fr auto; gap:6px 12px; padding:12px 16px; }
  .kv .v { font-variant-numeric:tabular-nums; font-weight:600; text-align:right; }
  footer { color:var(--muted); font-size:12px; padding:0 24px 20px; }
  @media (max-width: 900px) { main { grid-template-columns:1fr; } }
</style>
</head>
<body>
<header>
  <div><h1>ThaiBulkSMS sandbox</h1><div class="sub">Nothing here reaches a phone</div></div>
  <div class="spacer"></div>
  <span class="pill">Standard <b id="credit-standard">–</b></span>
  <span class="pill">Corporate <b id="credit-corporate">–</b></span>
  <span class="pill"><span id="live" class="live"></span><span id="updated">connecting…</span></span>
  <button id="pause" type="button">Pause</button>
</header>
<main>
  <section>
    <h2>Messages <span class="count" id="message-count">0</span><input id="filter" type="search" placeholder="Filter by number" aria-label="Filter by number"></h2>
    <table>
      <thead><tr><th>Time</th><th>Sender</th><th>Number</th><th>Text</th><th>Parts</th><th>Credits</th><th>Status</th></tr></thead>
      <tbody id="messages"></tbody>
    </table>
    <div class="empty" id="messages-empty">No messages yet. POST /sms to this sandbox and they show up here.</div>
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
<footer>Refreshes every 2 seconds from <code>/__sandbox/*</code>. Times are Asia/Bangkok.</footer>
<script>
(function () {
  'use strict';
  var paused = false;
  // sv-SE writes 2025-01-15 10:00:00, the least ambiguous of the built-in formats.
  var timeFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Bangkok', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  var clockFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Bangkok', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function badge(status) { return el('span', 'badge s-' + String(status).replace(/[^a-z]/g, ''), status); }
  function byId(id) { return document.getElementById(id); }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function when(ms) { return timeFormat.format(new Date(ms)); }
  function getJson(path) {
    return fetch(path, { cache: 'no-store' }).then(function (r) {
      if (!r.ok) throw new Error(path + ' answered ' + r.status);
      return r.json();
    });
  }

  function renderMessages(data) {
    var body = byId('messages');
    clear(body);
    byId('message-count').textContent = String(data.total);
    byId('messages-empty').style.display = data.messages.length ? 'none' : 'block';
    data.messages.forEach(function (m) {
      var tr = el('tr', 'msg');
      tr.appendChild(el('td', 'time', when(m.receivedAt)));
      tr.appendChild(el('td', '', m.sender));
      tr.appendChild(el('td', 'phone', m.phone));
      var text = el('td', 'text');
      text.appendChild(el('div', 'body', m.message));
      var extra = [m.creditType];
      if (m.scheduledAt) extra.push('scheduled ' + m.scheduledAt);
      if (m.tags && m.tags.length) extra.push('tags: ' + m.tags.join(', '));
      if (m.callbackUrl) extra.push('report → ' + m.callbackMethod + ' ' + m.callbackUrl);
      text.appendChild(el('div', 'meta', extra.join(' · ')));
      tr.appendChild(text);
      tr.appendChild(el('td', 'num', m.parts));
      tr.appendChild(el('td', 'num', m.credits));
      var status = el('td');
      status.appendChild(badge(m.status));
      tr.appendChild(status);
      body.appendChild(tr);
    });
  }

  function renderOtps(data, now) {
    var list = byId('otps');
    clear(list);
    byId('otp-count').textContent = String(data.total);
    byId('otps-empty').style.display = data.otps.length ? 'none' : 'block';
    data.otps.forEach(function (o) {
      var card = el('div', 'otp');
      var top = el('div', 'row');
      top.appendChild(el('span', 'pin', o.pin));
      top.appendChild(badge(o.status));
      card.appendChild(top);
      var left = Math.max(0, Math.round((o.expiresAt - now) / 1000));
      var life = o.status === 'pending' ? 'expires in ' + Math.floor(left / 60) + 'm ' + (left % 60) + 's' : when(o.createdAt);
      card.appendChild(el('div', 'meta', o.phone + ' · ref ' + o.refno + ' · ' + life + (o.attempts ? ' · ' + o.attempts + ' wrong' : '')));
      list.appendChild(card);
    });
  }

  function renderStats(stats) {
    var box = byId('stats');
    clear(box);
    var rows = [];
    Object.keys(stats.requests).sort().forEach(function (path) { rows.push([path, stats.requests[path]]); });
    rows.push(['seconds over the TPS limit', stats.windowsOverLimit.length]);
    rows.push(['refused over the limit', stats.rejectedOverLimit]);
    rows.forEach(function (row) {
      box.appendChild(el('div', 'k', row[0]));
      box.appendChild(el('div', 'v', row[1]));
    });
  }

  function refresh() {
    if (paused) return;
    var phone = byId('filter').value.trim();
    var query = phone ? '?phone=' + encodeURIComponent(phone) : '';
    Promise.all([getJson('/__sandbox/messages' + query), getJson('/__sandbox/otps'), getJson('/__sandbox/credits'), getJson('/__sandbox/stats')])
      .then(function (r) {
        renderMessages(r[0]);
        renderOtps(r[1], r[1].now);
        byId('credit-standard').textContent = r[2].standard.toLocaleString('en-US');
        byId('credit-corporate').textContent = r[2].corporate.toLocaleString('en-US');
        renderStats(r[3]);
        byId('updated').textContent = 'updated ' + clockFormat.format(new Date());
        byId('live').className = 'live';
      })
      .catch(function (e) {
        byId('updated').textContent = 'offline: ' + e.message;
        byId('live').className = 'live paused';
      });
  }

  byId('pause').addEventListener('click', function () {
    paused = !paused;
    byId('pause').textContent = paused ? 'Resume' : 'Pause';
    byId('live').className = paused ? 'live paused' : 'live';
    if (!paused) refresh();
  });
  byId('filter').addEventListener('input', refresh);
  refresh();
  setInterval(refresh, 2000);
})();
</script>
</body>
</html>
`;
