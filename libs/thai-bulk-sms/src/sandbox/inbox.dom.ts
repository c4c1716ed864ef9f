/**
 * The inbox script's small DOM helpers, spliced into its one function (inbox.script.ts), so they
 * share its scope (`timeFormat`). Nodes are built with createElement and textContent, never from
 * HTML strings; copying falls back to a selected text area where the Clipboard API is refused.
 */
export const INBOX_DOM_HELPERS = `
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
  function count(n) { return Number(n).toLocaleString('en-US'); }
  function localForm(phone) { return /^66\\d{9}$/.test(phone) ? '0' + phone.slice(2) : phone; }
  function getJson(path) {
    return fetch(path, { cache: 'no-store' }).then(function (r) {
      if (!r.ok) throw new Error(path + ' answered ' + r.status);
      return r.json();
    });
  }

  // Copy to the clipboard; where the Clipboard API is missing or refused, through a selected text area.
  function copy(text, button) {
    function done() {
      var label = button.textContent;
      button.textContent = 'Copied';
      setTimeout(function () { button.textContent = label; }, 1500);
    }
    function fallback() {
      var area = el('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      try { document.execCommand('copy'); } finally { document.body.removeChild(area); }
      done();
    }
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }
  function copyButton(label, text, className) {
    var button = el('button', 'small ' + className, label);
    button.type = 'button';
    button.addEventListener('click', function (event) { event.stopPropagation(); copy(text, button); });
    return button;
  }
`;
