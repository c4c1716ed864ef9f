import { ConsoleLogger } from '@nestjs/common';
import { TelemetryHarness } from '@app/thai-bulk-sms/telemetry/telemetry.test-util';
import { createLogger } from './logger';

/** The JSON fast path must print exactly what Nest's guarded serializer prints. */
describe('AppLogger JSON lines', () => {
  const lines = (write: () => void): string[] => {
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      write();
    } finally {
      spy.mockRestore();
    }
    return out;
  };
  const nest = () => new ConsoleLogger({ json: true, colors: false, prefix: 'sample-app' });
  const strip = (line: string) => line.replace(/"timestamp":\d+/, '"timestamp":0');

  it.each([
    [
      'an event of scalars and short arrays',
      {
        msg: 'SMS sent',
        accepted: 2,
        rejected: 0,
        creditsUsed: 2,
        to: ['081xxxx678', '089xxxx432'],
        ok: true,
        none: undefined,
        nil: null,
      },
    ],
    ['a plain string', 'Sample app listening'],
    [
      'a nested object, a Map and an Error (guarded path)',
      { msg: 'x', nested: { a: { b: { c: 1 } } }, map: new Map([['k', 1]]), error: new Error('boom') },
    ],
    ['a long array (guarded path)', { msg: 'x', list: Array.from({ length: 100 }, (_, i) => i) }],
    ['a bigint (guarded path)', { msg: 'x', n: 10n }],
  ])('%s', (_name, message) => {
    const ours = lines(() => createLogger('json').log(message, 'Ctx'));
    const theirs = lines(() => nest().log(message, 'Ctx'));
    expect(ours.map(strip)).toEqual(theirs.map(strip));
    expect(ours).toHaveLength(1);
  });
});

describe('AppLogger text lines', () => {
  it('keeps every event on one line: line breaks and control characters in its fields are escaped', () => {
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const logger = createLogger('text');
      logger.log(
        { msg: 'SMS delivery failed', messageId: 'm1\nERROR [Bootstrap] forged', error: 'a\r\u001b[31mb' },
        'Delivery',
      );
      logger.log('plain\nERROR [Bootstrap] forged too', 'Delivery');
    } finally {
      spy.mockRestore();
    }
    const lines = out
      .join('')
      .split('\n')
      .filter((l) => l !== '');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('messageId=m1\\nERROR [Bootstrap] forged error=a\\r\\u001b[31mb');
    expect(lines[1]).toContain('plain\\nERROR [Bootstrap] forged too');
    expect(lines.some((l) => l.startsWith('ERROR'))).toBe(false);
  });
});

describe('AppLogger trace correlation', () => {
  const capture = (write: () => void): string => {
    let out = '';
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    try {
      write();
    } finally {
      spy.mockRestore();
    }
    return out;
  };

  it('adds trace_id and span_id of the active span to JSON lines, and nothing without one', () => {
    const harness = new TelemetryHarness().install();
    try {
      const logger = createLogger('json');
      const tracer = harness.tracerProvider.getTracer('spec');
      const inside = tracer.startActiveSpan('work', (span) => {
        const line = capture(() => logger.log({ msg: 'inside' }, 'Spec'));
        span.end();
        return { line, ids: span.spanContext() };
      });
      expect(JSON.parse(inside.line)).toMatchObject({
        message: { msg: 'inside' },
        trace_id: inside.ids.traceId,
        span_id: inside.ids.spanId,
      });
      const outside = JSON.parse(capture(() => logger.log({ msg: 'outside' }, 'Spec'))) as Record<string, unknown>;
      expect(outside).not.toHaveProperty('trace_id');
      expect(outside).not.toHaveProperty('span_id');
    } finally {
      void harness.uninstall();
    }
  });
});
