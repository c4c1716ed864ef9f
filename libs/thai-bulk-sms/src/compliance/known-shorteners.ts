/**
 * Hosts of well-known public URL shorteners (and their subdomains), refused with
 * LINK_SHORTENER_NOT_ALLOWED: Thai carriers refuse shortened links in SMS, and a short link hides
 * the registered one. Replace or extend it with the `shortenerHosts` option.
 */
export const KNOWN_SHORTENER_HOSTS: readonly string[] = Object.freeze([
  'bit.ly',
  'bitly.com',
  'j.mp',
  'tinyurl.com',
  'tiny.cc',
  'tiny.one',
  't.co',
  'goo.gl',
  'ow.ly',
  'buff.ly',
  'is.gd',
  'v.gd',
  'rebrand.ly',
  'rb.gy',
  'cutt.ly',
  'shorturl.at',
  's.id',
  't.ly',
  'bl.ink',
  'lnkd.in',
  'shorte.st',
  'adf.ly',
  'soo.gd',
  'clck.ru',
  'qrco.de',
  'shorturl.asia',
]);
