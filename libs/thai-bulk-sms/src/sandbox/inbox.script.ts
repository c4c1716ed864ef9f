import { INBOX_DOM_HELPERS } from './inbox.dom';
import { INBOX_PAGE_SIZE } from './inbox.query';

/**
 * The inbox page's one script (plain ES5-style JavaScript, no build step). Every node is built
 * with createElement and textContent, never from HTML strings, so a message holding markup is
 * shown as the text it is. It reads the JSON endpoints under /__sandbox/ every 2 seconds.
 */
export const INBOX_SCRIPT = `
(function () {
  'use strict';
  var PAGE = ${INBOX_PAGE_SIZE};
  var paused = false;
  var offset = 0;
  var openId = null;
  // sv-SE writes 2025-01-15 10:00:00, the least ambiguous of the built-in formats.
  var timeFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Bangkok', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  var clockFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Bangkok', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

${INBOX_DOM_HELPERS}
  function messagesQuery() {
    var q = byId('search').value.trim();
    return '/__sandbox/messages?limit=' + PAGE + '&offset=' + offset + (q ? '&q=' + encodeURIComponent(q) : '');
  }

  function renderMessages(data) {
    var body = byId('messages');
    clear(body);
    byId('message-count').textContent = count(data.total);
    var searching = byId('search').value.trim() !== '';
    byId('messages-empty').textContent = searching ? 'No message matches the search.' : 'No messages yet. POST /sms to this sandbox and they show up here.';
    byId('messages-empty').style.display = data.messages.length ? 'none' : 'block';
    data.messages.forEach(function (m) {
      var tr = el('tr', 'msg');
      tr.tabIndex = 0;
      tr.setAttribute('data-id', m.messageId);
      tr.appendChild(el('td', 'time', when(m.receivedAt)));
      tr.appendChild(el('td', 'sender', m.sender));
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
      tr.addEventListener('click', function () { openDetail(m.messageId); });
      tr.addEventListener('keydown', function (event) { if (event.key === 'Enter') openDetail(m.messageId); });
      body.appendChild(tr);
    });
    // Past the last page (messages were cleared, or the search shrank): back to a page that exists.
    if (data.messages.length === 0 && data.total > 0 && offset > 0) {
      offset = Math.max(0, Math.floor((data.total - 1) / PAGE) * PAGE);
      refresh();
      return;
    }
    var from = data.total === 0 ? 0 : offset + 1;
    var to = offset + data.messages.length;
    byId('page-info').textContent = count(from) + '–' + count(to) + ' of ' + count(data.total);
    byId('newer').disabled = offset === 0;
    byId('older').disabled = to >= data.total;
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
      card.appendChild(el('div', 'token', 'token ' + o.token));
      var actions = el('div', 'actions');
      actions.appendChild(copyButton('Copy PIN', o.pin, 'copy-pin'));
      actions.appendChild(copyButton('Copy token', o.token, 'copy-token'));
      card.appendChild(actions);
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

  // Every field the sandbox recorded of the request, labelled; a field it learns later shows under its own name.
  var FIELDS = [
    ['messageId', 'Message id'], ['phone', 'Number'], ['sender', 'Sender'], ['message', 'Text'],
    ['receivedAt', 'Received'], ['status', 'Status'], ['creditType', 'Credit pool'], ['parts', 'Parts'],
    ['credits', 'Credits'], ['scheduledAt', 'Scheduled for'], ['shortenUrl', 'Shorten URLs'],
    ['callbackUrl', 'Callback URL'], ['callbackMethod', 'Callback method'], ['tags', 'Tags']
  ];
  function fieldText(key, value) {
    if (value === undefined || value === null || value === '') return '—';
    if (key === 'receivedAt') return when(value) + ' (Asia/Bangkok)';
    if (key === 'phone') return value + ' (' + localForm(value) + ')';
    if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }

  function renderDetail(data) {
    var m = data.message;
    byId('detail-title').textContent = 'Message ' + m.messageId;
    var fields = byId('detail-fields');
    clear(fields);
    var known = {};
    FIELDS.forEach(function (f) { known[f[0]] = true; });
    var rows = FIELDS.slice();
    Object.keys(m).forEach(function (key) { if (!known[key]) rows.push([key, key]); });
    rows.forEach(function (f) {
      fields.appendChild(el('dt', '', f[1]));
      fields.appendChild(el('dd', 'f-' + f[0], fieldText(f[0], m[f[0]])));
    });
    var reports = byId('detail-reports');
    clear(reports);
    if (data.deliveryReports.length === 0) {
      var why = !m.callbackUrl ? 'None: the send gave no callback URL.' : 'None yet: the report is due ' + (m.scheduledAt ? 'after ' + m.scheduledAt : 'shortly') + '.';
      reports.appendChild(el('div', 'meta', why));
    }
    data.deliveryReports.forEach(function (r) {
      var card = el('div', 'report');
      var top = el('div', 'row');
      top.appendChild(badge(r.status));
      top.appendChild(el('span', 'meta', ' ' + r.time + ' · ' + r.method + ' ' + r.url));
      card.appendChild(top);
      if (r.error) card.appendChild(el('div', 'meta', 'error: ' + r.error));
      var answer = r.sendError !== undefined ? 'not delivered: ' + r.sendError : 'answered ' + r.responseStatus + (r.responseBody ? '\\n' + r.responseBody : '');
      card.appendChild(el('div', 'answer', answer));
      reports.appendChild(card);
    });
  }

  function loadDetail() {
    if (openId === null) return;
    getJson('/__sandbox/messages/' + encodeURIComponent(openId)).then(renderDetail, function () {
      byId('detail-title').textContent = 'Message ' + openId + ' (no longer in the sandbox)';
    });
  }
  function openDetail(id) {
    openId = id;
    var dialog = byId('detail');
    if (!dialog.open) dialog.showModal();
    loadDetail();
  }

  function refresh() {
    if (paused) return;
    Promise.all([getJson(messagesQuery()), getJson('/__sandbox/otps'), getJson('/__sandbox/credits'), getJson('/__sandbox/stats')])
      .then(function (r) {
        renderMessages(r[0]);
        renderOtps(r[1], r[1].now);
        byId('credit-standard').textContent = count(r[2].standard);
        byId('credit-corporate').textContent = count(r[2].corporate);
        renderStats(r[3]);
        byId('updated').textContent = 'updated ' + clockFormat.format(new Date());
        byId('live').className = 'live';
      })
      .catch(function (e) {
        byId('updated').textContent = 'offline: ' + e.message;
        byId('live').className = 'live paused';
      });
    loadDetail();
  }

  byId('pause').addEventListener('click', function () {
    paused = !paused;
    byId('pause').textContent = paused ? 'Resume' : 'Pause';
    byId('live').className = paused ? 'live paused' : 'live';
    if (!paused) refresh();
  });
  byId('clear').addEventListener('click', function () {
    fetch('/__sandbox/reset', { method: 'POST' }).then(function () {
      offset = 0;
      openId = null;
      if (byId('detail').open) byId('detail').close();
      var wasPaused = paused;
      paused = false;
      refresh();
      paused = wasPaused;
    });
  });
  byId('search').addEventListener('input', function () { offset = 0; refresh(); });
  byId('newer').addEventListener('click', function () { offset = Math.max(0, offset - PAGE); refresh(); });
  byId('older').addEventListener('click', function () { offset += PAGE; refresh(); });
  byId('detail-close').addEventListener('click', function () { byId('detail').close(); });
  byId('detail').addEventListener('close', function () { openId = null; });
  refresh();
  setInterval(refresh, 2000);
})();
`;
