// Preloaded into each consumer app and its Jest run (`node --require loopback-guard.cjs …`, which
// works for CommonJS and ESM entry points alike, and in Jest's ESM mode). Refused before a packet
// leaves the machine, and reported on stderr with the marker that run.mjs treats as a failure:
//  - TCP (net, and so http, https, tls, fetch/undici, ioredis): a connection to a host outside
//    the loopback range (127.0.0.0/8, ::1, localhost);
//  - DNS: dns.lookup / dns.promises.lookup of a name that is not loopback (`localhost` and IP
//    literals pass: they ask no name server, and loopback connections need them), and every dns.resolve*,
//    dns.reverse and dns.lookupService (module functions, promises, and Resolver instances): they
//    query a name server, which is not on loopback;
//  - UDP: dgram socket.send / socket.connect to an address outside loopback.
// Unix sockets pass. Child processes are not covered (they do not inherit --require); the apps start none.
// guard-selfcheck.cjs proves, before every consumer run, that each of these is refused.
'use strict';
const net = require('node:net');
const dns = require('node:dns');
const dgram = require('node:dgram');
const { syncBuiltinESMExports } = require('node:module');

const MARKER = 'LOOPBACK-GUARD BLOCKED';

function isLoopback(host) {
  if (host === undefined || host === null || host === '') return true; // Node defaults to localhost
  const h = String(host).replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (/^::ffff:127\./.test(h)) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function refusal(what, code) {
  const err = new Error(`${MARKER}: ${what} refused (consumer checks stay on loopback)`);
  err.code = code;
  process.stderr.write(`${err.message}\n`);
  return err;
}

// --- TCP -----------------------------------------------------------------------------------------
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  let opts = args[0];
  if (Array.isArray(opts)) opts = opts[0]; // internal normalized form
  let host;
  let port;
  let isPipe = false;
  if (opts !== null && typeof opts === 'object') {
    host = opts.host;
    port = opts.port;
    isPipe = typeof opts.path === 'string';
  } else if (typeof opts === 'string' && Number.isNaN(Number(opts))) {
    isPipe = true; // connect(path)
  } else {
    port = opts;
    host = typeof args[1] === 'string' ? args[1] : undefined;
  }
  if (!isPipe && !isLoopback(host)) {
    const err = refusal(`connection to ${host}:${port}`, 'ECONNREFUSED');
    process.nextTick(() => this.destroy(err));
    return this;
  }
  return originalConnect.apply(this, args);
};

// --- DNS -----------------------------------------------------------------------------------------
const RESOLVE_METHODS = [
  'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr',
  'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse',
];

/**
 * dns.lookup may answer for loopback names and for IP literals: neither asks a name server
 * (an IP literal comes back as is; Node looks up '0.0.0.0' and '::' when a socket binds).
 * Connections to a non-loopback IP are refused by the TCP and UDP guards.
 */
const lookupAllowed = (hostname) => isLoopback(hostname) || net.isIP(String(hostname)) !== 0;

/** Callback-style: the error goes to the last function argument, asynchronously. */
function refuseCallback(args, what) {
  const err = refusal(what, 'ENOTFOUND');
  const callback = [...args].reverse().find((a) => typeof a === 'function');
  if (callback) process.nextTick(callback, err);
}

function guardCallbackApi(target, label) {
  const originalLookup = target.lookup;
  if (typeof originalLookup === 'function') {
    target.lookup = function guardedLookup(hostname, ...rest) {
      if (lookupAllowed(hostname)) return originalLookup.call(this, hostname, ...rest);
      return refuseCallback(rest, `${label}.lookup(${JSON.stringify(hostname)})`);
    };
  }
  for (const name of [...RESOLVE_METHODS, 'lookupService']) {
    if (typeof target[name] !== 'function') continue;
    target[name] = function guardedResolve(...args) {
      return refuseCallback(args, `${label}.${name}(${JSON.stringify(args[0])})`);
    };
  }
}

function guardPromiseApi(target, label) {
  const originalLookup = target.lookup;
  if (typeof originalLookup === 'function') {
    target.lookup = function guardedLookup(hostname, ...rest) {
      if (lookupAllowed(hostname)) return originalLookup.call(this, hostname, ...rest);
      return Promise.reject(refusal(`${label}.lookup(${JSON.stringify(hostname)})`, 'ENOTFOUND'));
    };
  }
  for (const name of [...RESOLVE_METHODS, 'lookupService']) {
    if (typeof target[name] !== 'function') continue;
    target[name] = function guardedResolve(...args) {
      return Promise.reject(refusal(`${label}.${name}(${JSON.stringify(args[0])})`, 'ENOTFOUND'));
    };
  }
}

guardCallbackApi(dns, 'dns');
guardCallbackApi(dns.Resolver.prototype, 'dns.Resolver');
guardPromiseApi(dns.promises, 'dns.promises');
guardPromiseApi(dns.promises.Resolver.prototype, 'dns.promises.Resolver');

// --- UDP -----------------------------------------------------------------------------------------
const originalSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function guardedSend(msg, ...rest) {
  // send(msg[, offset, length], port[, address][, callback]): the address is the one string argument
  // after the message; without one, Node sends to localhost (or to the connected peer, checked below).
  const address = rest.find((a) => typeof a === 'string');
  if (!isLoopback(address)) {
    const err = refusal(`UDP datagram to ${address}`, 'ECONNREFUSED');
    const callback = rest.find((a) => typeof a === 'function');
    if (callback) process.nextTick(callback, err);
    else process.nextTick(() => this.emit('error', err));
    return;
  }
  return originalSend.call(this, msg, ...rest);
};
const originalUdpConnect = dgram.Socket.prototype.connect;
dgram.Socket.prototype.connect = function guardedUdpConnect(port, address, ...rest) {
  if (typeof address === 'string' && !isLoopback(address)) {
    // As Node reports a failed UDP connect: an 'error' event (the callback is for success only).
    const err = refusal(`UDP connect to ${address}:${port}`, 'ECONNREFUSED');
    process.nextTick(() => this.emit('error', err));
    return;
  }
  return originalUdpConnect.call(this, port, address, ...rest);
};

// `import { lookup } from 'node:dns'` in ESM code reads the named exports, which are a copy:
// bring them up to date with the patched CommonJS objects.
syncBuiltinESMExports();

module.exports = { MARKER, isLoopback };
