import fc from 'fast-check';

/**
 * Arbitraries of request bodies that are invalid by construction: each body has at least one
 * field broken in a way no other field can repair (or an unknown key, which the app refuses),
 * so none of them may ever cause a request to ThaiBulkSMS.
 */

export interface BadRequest {
  readonly route: string;
  readonly method: 'POST' | 'GET' | 'PUT';
  readonly path: string;
  readonly contentType?: string;
  readonly body?: string;
  /** Which field or trick broke it, for the figures. */
  readonly broken: string;
}

const VALID_PHONE = fc.constantFrom('0812345678', '+66898765432', '66812345678', '081-234-5678');

/** Text without any digit: can never hold a phone number. */
const noDigits = fc.string({
  unit: fc.constantFrom(...'abcxyzABC ,.-+()_ลสวัดีครับ😀\u0000\u202e'.split('')),
  maxLength: 40,
});

const junkScalar = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    'true',
    'null',
    'NaN',
    '1e309',
    '-1',
    '[]',
    '{}',
    '__proto__',
    'constructor',
    '0812345678',
  ),
);
const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: junkScalar },
  { weight: 1, arbitrary: fc.array(junkScalar, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), junkScalar, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
);
/** Anything that is not a string. */
const nonString = junkValue.filter((v) => typeof v !== 'string' && v !== undefined);
/**
 * Not a string, and not null either: null in an optional field means "not given", which is valid.
 * Nor anything JSON writes as null (NaN, ±Infinity): the app only ever sees the JSON text.
 */
const nonStringNonNull = nonString.filter((v) => v !== null && JSON.stringify(v) !== 'null');
const hugeString = fc.integer({ min: 2_000, max: 60_000 }).map((n) => 'ล'.repeat(n));

const UNKNOWN_KEYS = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'msisdn',
    'isAdmin',
    'toString',
    'hasOwnProperty',
    'apiSecret',
    'to ',
    'Message',
  ),
  fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !SMS_FIELDS.has(k) && !OTP_FIELDS.has(k)),
);
const SMS_FIELDS = new Set([
  'to',
  'message',
  'sender',
  'scheduledAt',
  'force',
  'shortenUrl',
  'callbackUrl',
  'callbackMethod',
  'tags',
]);
const OTP_FIELDS = new Set(['phone', 'token', 'pin']);

type Obj = Record<string, unknown>;
type Breaker = { readonly name: string; readonly apply: fc.Arbitrary<(body: Obj) => Obj | string> };

const set = (key: string, value: fc.Arbitrary<unknown>, name = key): Breaker => ({
  name,
  apply: value.map((v) => (body: Obj) => ({ ...body, [key]: v })),
});
const drop = (key: string): Breaker => ({
  name: `${key} missing`,
  apply: fc.constant((body: Obj) => {
    const { [key]: _, ...rest } = body;
    return rest;
  }),
});
/** An extra key, written into the JSON text so that `__proto__` really is an own key. */
const unknownKey: Breaker = {
  name: 'unknown key',
  apply: fc.tuple(UNKNOWN_KEYS, junkValue).map(([key, value]) => (body: Obj) => {
    const json = JSON.stringify(body);
    const extra = `${JSON.stringify(key)}:${JSON.stringify(value ?? null) ?? 'null'}`;
    return json === '{}' ? `{${extra}}` : `{${extra},${json.slice(1)}`;
  }),
};

/** Valid optional SMS fields, or absent; the breaker decides that the body is invalid. */
const optionalSmsFields = fc.record(
  {
    sender: fc.constantFrom('Demo', 'SMS.'),
    force: fc.constantFrom('standard', 'corporate'),
    shortenUrl: fc.boolean(),
    tags: fc.array(fc.constantFrom('a', 'promo'), { maxLength: 3 }),
    callbackMethod: fc.constantFrom('GET', 'POST', 'PUT'),
  },
  { requiredKeys: [] },
);

const smsContentBreakers: Breaker[] = [
  drop('message'),
  set('message', fc.constantFrom('', ...[]), 'message empty'),
  set('message', nonString, 'message not a string'),
  set(
    'message',
    fc.integer({ min: 1_531, max: 20_000 }).map((n) => 'x'.repeat(n)),
    'message too long',
  ),
  set('sender', fc.oneof(fc.constant(''), nonStringNonNull, fc.string({ minLength: 12, maxLength: 40 })), 'sender'),
  set(
    'force',
    fc.oneof(
      nonStringNonNull,
      fc.string().filter((s) => s !== 'standard' && s !== 'corporate'),
    ),
    'force',
  ),
  set('shortenUrl', fc.oneof(fc.string(), fc.integer(), fc.array(fc.boolean())), 'shortenUrl'),
  set(
    'tags',
    fc.oneof(
      fc.string(),
      fc.integer(),
      fc.array(fc.constant('t'), { minLength: 11, maxLength: 30 }),
      fc.array(nonStringNonNull, { minLength: 1, maxLength: 3 }),
      fc.constant(['x'.repeat(51)]),
    ),
    'tags',
  ),
  set(
    'scheduledAt',
    fc.oneof(fc.constantFrom('tomorrow', '2030-13-45T99:00:00+07:00', '1e9', ''), nonStringNonNull),
    'scheduledAt',
  ),
  set(
    'callbackUrl',
    fc.oneof(
      fc.constantFrom('not a url', 'ftp://x.example', 'javascript:alert(1)', '//no-scheme', ''),
      nonStringNonNull,
    ),
    'callbackUrl',
  ),
  set('callbackMethod', fc.oneof(fc.constantFrom('get', 'DELETE', 'PATCH', ''), nonStringNonNull), 'callbackMethod'),
  unknownKey,
];

function bodies(base: fc.Arbitrary<Obj>, breakers: readonly Breaker[]): fc.Arbitrary<{ body: string; broken: string }> {
  return fc.tuple(base, fc.constantFrom(...breakers), fc.boolean()).chain(([b, breaker, twice]) =>
    fc
      .tuple(breaker.apply, twice ? fc.constantFrom(...breakers).chain((x) => x.apply) : fc.constant((o: Obj) => o))
      .map(([apply, extra]) => {
        // Optionally break a second field too; the first breaker is applied last so it always holds.
        const once = extra(b);
        const result = typeof once === 'string' ? apply(JSON.parse(once)) : apply(once);
        return { body: typeof result === 'string' ? result : JSON.stringify(result), broken: breaker.name };
      }),
  );
}

export function smsBodies(): fc.Arbitrary<{ body: string; broken: string }> {
  const base = fc.tuple(VALID_PHONE, optionalSmsFields).map(([to, rest]) => ({ to, message: 'Hello', ...rest }));
  const toBreakers: Breaker[] = [
    drop('to'),
    set(
      'to',
      fc.oneof(
        nonString.filter((v) => !Array.isArray(v)),
        fc.constantFrom('', '   '),
      ),
      'to not a number list',
    ),
    set('to', fc.constant([]), 'to empty list'),
    set(
      'to',
      fc.integer({ min: 501, max: 800 }).map((n) => Array.from({ length: n }, (_, i) => `08${String(10_000_000 + i)}`)),
      'to over 500',
    ),
    set(
      'to',
      fc.tuple(VALID_PHONE, nonString).map(([p, x]) => [p, x]),
      'to mixed types',
    ),
    set(
      'to',
      fc.oneof(
        noDigits.filter((s) => s.trim() !== ''),
        fc.array(noDigits, { minLength: 1, maxLength: 5 }),
      ),
      'to not phones',
    ),
    set(
      'to',
      fc.constantFrom('021234567', '0012345678', '0812', '08123456789012', '+1 415 555 0100'),
      'to landline/foreign',
    ),
    set('to', hugeString, 'to huge'),
  ];
  return bodies(base, [...toBreakers, ...smsContentBreakers]);
}

export function alertBodies(): fc.Arbitrary<{ body: string; broken: string }> {
  const base = fc
    .tuple(fc.array(VALID_PHONE, { minLength: 1, maxLength: 4 }), optionalSmsFields)
    .map(([to, rest]) => ({ to, message: 'Alert', ...rest }));
  const toBreakers: Breaker[] = [
    drop('to'),
    set(
      'to',
      fc.oneof(
        fc.string(),
        nonString.filter((v) => !Array.isArray(v)),
      ),
      'to not a list',
    ),
    set('to', fc.constant([]), 'to empty list'),
    set(
      'to',
      fc.tuple(VALID_PHONE, nonString).map(([p, x]) => [p, x]),
      'to mixed types',
    ),
  ];
  return bodies(base, [...toBreakers, ...smsContentBreakers]);
}

export function otpRequestBodies(): fc.Arbitrary<{ body: string; broken: string }> {
  const base = VALID_PHONE.map((phone) => ({ phone }));
  return bodies(base, [
    drop('phone'),
    set('phone', nonString, 'phone not a string'),
    set(
      'phone',
      fc.oneof(noDigits, fc.constantFrom('021234567', '0812', '+14155550100', '08123456789012', '')),
      'phone not a Thai mobile',
    ),
    set('phone', hugeString, 'phone huge'),
    unknownKey,
  ]);
}

export function otpVerifyBodies(): fc.Arbitrary<{ body: string; broken: string }> {
  const base = fc.record({
    token: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== ''),
    pin: fc.stringMatching(/^\d{6}$/),
  }) as fc.Arbitrary<Obj>;
  return bodies(base, [
    drop('token'),
    drop('pin'),
    set('token', fc.oneof(nonString, fc.constant(''), fc.string({ minLength: 201, maxLength: 400 })), 'token'),
    set(
      'pin',
      fc.oneof(
        nonString,
        fc.constantFrom('', '12', '123456789', 'abcdef', '12 34 56', '١٢٣٤٥٦'),
        fc.string({ maxLength: 10 }).filter((s) => !/^\d{4,8}$/.test(s)),
      ),
      'pin',
    ),
    // Well formed, but a token this app never issued: refused without a call to the API.
    { name: 'token never issued', apply: fc.constant((b: Obj) => b) },
    unknownKey,
  ]);
}

/** Anything at all: the webhook must never fail because of the payload. */
export function webhookBodies(): fc.Arbitrary<{ body: string; broken: string }> {
  return fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => ({ body: JSON.stringify(v), broken: 'any JSON' })),
    fc
      .record(
        { message_id: junkValue, msisdn: junkValue, status: junkValue, time: junkValue, error: junkValue },
        { requiredKeys: [] },
      )
      .map((v) => ({
        body: JSON.stringify(v) ?? '{}',
        broken: 'report fields of any type',
      })),
    fc.tuple(junkValue, junkValue).map(([a, b]) => ({
      body: `{"__proto__":${JSON.stringify(a) ?? 'null'},"constructor":{"prototype":${JSON.stringify(b) ?? 'null'}}}`,
      broken: 'prototype keys',
    })),
  );
}

/** Bytes that are not a usable body at all. */
export function rawBadBodies(): fc.Arbitrary<{ body: string; contentType: string; broken: string }> {
  return fc.oneof(
    fc
      .string({ unit: 'binary', maxLength: 200 })
      .map((s) => ({ body: `{${s}`, contentType: 'application/json', broken: 'malformed JSON' })),
    fc
      .constantFrom(
        '{"to":"0812345678","message":"hi"',
        '{"to":[,]}',
        "{'to':'0812345678'}",
        '{"to":"0812345678","message":"hi"}}',
        'null',
        '[]',
        '"str"',
        '123',
        'true',
      )
      .map((body) => ({
        body,
        contentType: 'application/json',
        broken: 'truncated or non-object JSON',
      })),
    fc.constant(0).map(() => ({
      body: '{"to":"0812345678","message":"hi"}',
      contentType: 'text/plain',
      broken: 'wrong content-type',
    })),
    fc
      .constant(0)
      .map(() => ({ body: '<to>0812345678</to>', contentType: 'application/xml', broken: 'wrong content-type' })),
    fc.constant(0).map(() => ({
      body: '{"to":"0812345678","message":"hi"}',
      contentType: 'application/json; charset=latin9',
      broken: 'unsupported charset',
    })),
    fc.integer({ min: 1_000, max: 20_000 }).map((depth) => ({
      body: '['.repeat(depth) + ']'.repeat(depth),
      contentType: 'application/json',
      broken: 'deeply nested JSON',
    })),
    fc.integer({ min: 200, max: 3_000 }).map((depth) => ({
      body: `{"to":"0812345678","message":"hi","tags":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
      contentType: 'application/json',
      broken: 'deeply nested field',
    })),
    fc.integer({ min: 110_000, max: 300_000 }).map((n) => ({
      body: JSON.stringify({ to: '0812345678', message: 'x'.repeat(n) }),
      contentType: 'application/json',
      broken: 'over the body limit',
    })),
    fc.constant(0).map(() => ({
      body: 'to=0812345678&message=hi&sender=Demo&force=standard&extra[]=1',
      contentType: 'application/x-www-form-urlencoded',
      broken: 'form with an unknown key',
    })),
  );
}

/** Query-string text of any shape: junk keys and values, repeats, brackets, bad percent-escapes. */
export function junkQueries(): fc.Arbitrary<{ query: string; broken: string }> {
  const raw = fc.string({ unit: fc.constantFrom(...'abcXYZ019=&[]%+._~-!*();:@$,/?#'.split('')), maxLength: 60 });
  const pair = fc.tuple(
    fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('__proto__', 'constructor', 'status', 'msisdn', 'message_id', 'a[b]', 'a[]', ''),
    ),
    junkScalar,
  );
  return fc.oneof(
    raw.map((q) => ({ query: q, broken: 'raw query characters' })),
    fc.array(pair, { maxLength: 8 }).map((pairs) => ({
      query: pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&'),
      broken: 'junk keys and values',
    })),
    fc
      .constantFrom(
        '%',
        '%zz',
        '%E0%A4%A',
        'a=%FF%FE',
        '__proto__[polluted]=1',
        'constructor[prototype][polluted]=1',
        'status[]=delivered&status[]=failed',
        'a'.repeat(4_000),
        '&&&&',
        '=&=&=',
      )
      .map((query) => ({
        query,
        broken: 'hostile query',
      })),
    fc
      .record({ message_id: junkValue, msisdn: junkValue, status: junkValue, time: junkValue }, { requiredKeys: [] })
      .map((r) => ({
        query: new URLSearchParams(
          Object.entries(r).map(([k, v]): [string, string] => [
            k,
            typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined'),
          ]),
        ).toString(),
        broken: 'report fields of any type',
      })),
  );
}

/** Path segments for GET /alerts/:id: anything, percent-encoded so that it stays one segment. */
export function alertIds(): fc.Arbitrary<{ id: string; broken: string }> {
  return fc.oneof(
    fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
      .map((s) => ({ id: encodeURIComponent(s), broken: 'any text' })),
    fc
      .string({ unit: 'binary', minLength: 1, maxLength: 40 })
      .map((s) => ({ id: encodeURIComponent(s), broken: 'binary' })),
    fc
      .constantFrom(
        '..',
        '.',
        '%2e%2e',
        '%2F',
        'a%2Fb',
        '%00',
        '%zz',
        '__proto__',
        'constructor',
        'null',
        'undefined',
        '-1',
        '0',
        'x'.repeat(1_000),
        'ล'.repeat(200),
        '*',
        '%20',
      )
      .map((id) => ({ id, broken: 'hostile id' })),
  );
}

/** x-api-key values that must all be refused (never a padded valid key: HTTP trims header whitespace). */
export function badApiKeys(validKey: string): fc.Arbitrary<{ key: string | string[] | undefined; broken: string }> {
  type Case = { key: string | string[] | undefined; broken: string };
  const cases: fc.Arbitrary<Case> = fc.oneof(
    fc.constant<Case>({ key: undefined, broken: 'x-api-key missing' }),
    fc
      .constantFrom(
        '',
        ' ',
        'null',
        'undefined',
        'dev-key-change-me',
        validKey.slice(0, -1),
        `${validKey}x`,
        `x${validKey}`,
        validKey.toUpperCase(),
        validKey.toLowerCase(),
      )
      .map((key): Case => ({
        key,
        broken: 'x-api-key wrong',
      })),
    fc
      .string({ unit: fc.constantFrom(...'abcdefXYZ0123456789-_=+/'.split('')), minLength: 1, maxLength: 64 })
      .map((key): Case => ({ key, broken: 'x-api-key random' })),
    fc
      .integer({ min: 1_025, max: 8_000 })
      .map((n): Case => ({ key: validKey + 'k'.repeat(n - validKey.length), broken: 'x-api-key over 1024' })),
    fc.constant<Case>({ key: [validKey, validKey], broken: 'x-api-key twice' }),
    fc
      .string({ unit: fc.constantFrom(...'\u00e9\u00ff\u00a0\u0080ABC'.split('')), minLength: 1, maxLength: 20 })
      .map((key): Case => ({ key, broken: 'x-api-key latin-1 bytes' })),
  );
  // Whatever is generated, never the valid key itself (the fuzz app's key is not the dev key).
  return cases.filter((c) => c.key !== validKey);
}

/**
 * Content types under which a valid JSON body must not be read as JSON (only application/json
 * is, in any letter case and with a UTF charset, so those are left out): the body is then missing
 * or a form with one odd key, and the request is refused.
 */
export function nonJsonContentTypes(): fc.Arbitrary<{ contentType: string | undefined; broken: string }> {
  return fc.oneof(
    fc.constant({ contentType: undefined, broken: 'content-type missing' }),
    fc
      .constantFrom(
        '',
        'text/plain',
        'text/json',
        'application/jsonx',
        'application/vnd.api+json',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
        'application/json; charset=utf-16',
        'application/json; charset=iso-8859-1',
        'application/json; charset=latin9',
        '*/*',
        'json',
        ';;;',
      )
      .map((contentType) => ({ contentType, broken: `content-type ${contentType || '(empty)'}` })),
  );
}

/** POST /alerts with QUEUE_ENABLED=true: the alert breakers, and a dedupeKey broken on top of a valid alert. */
export function queuedAlertBodies(): fc.Arbitrary<{ body: string; broken: string }> {
  const base = fc
    .tuple(
      fc.array(VALID_PHONE, { minLength: 1, maxLength: 4 }),
      optionalSmsFields,
      fc.constantFrom('k1', 'storm:host-7'),
    )
    .map(([to, rest, dedupeKey]) => ({ to, message: 'Alert', dedupeKey, ...rest }));
  const dedupeBreakers: Breaker[] = [
    set('dedupeKey', nonStringNonNull, 'dedupeKey not a string'),
    set('dedupeKey', fc.constant(''), 'dedupeKey empty'),
    set(
      'dedupeKey',
      fc.integer({ min: 129, max: 2_000 }).map((n) => 'k'.repeat(n)),
      'dedupeKey over 128',
    ),
    set('dedupeKey', fc.constantFrom('a\u0000b', 'line\nbreak', 'tab\there', '\u007f'), 'dedupeKey control characters'),
  ];
  return fc.oneof(
    alertBodies(),
    bodies(base, [
      ...dedupeBreakers,
      drop('to'),
      set('to', fc.constant([]), 'to empty list'),
      set('message', fc.constant(''), 'message empty'),
      unknownKey,
    ]),
  );
}
