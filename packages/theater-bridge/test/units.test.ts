import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, parseManifest, verifyLines, makeEvent } from '../src/index.js';
import { eventLine } from '../src/chain/chain-event.js';
import { RestartTracker } from '../src/runtime/restart-tracker.js';
import { pack, unpack } from '../src/abi/packing.js';

describe('canonical JSON', () => {
  it('sorts keys, drops undefined members, writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, 'é': { z: 0, y: -0 } })).toBe('{"a":[true,null,"x"],"b":1,"é":{"y":0,"z":0}}');
  });

  it('refuses values JSON has no form for', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow('value at key "a" is not JSON: NaN');
    expect(() => canonicalJson({ b: [() => 1] })).toThrow('is not JSON: function');
    expect(() => canonicalJson(undefined)).toThrow('value at $ is not JSON: undefined');
  });

  it('keeps a member named __proto__ when it reorders keys', () => {
    const value = JSON.parse('{"z":1,"__proto__":{"x":1}}') as unknown;
    expect(canonicalJson(value)).toBe('{"__proto__":{"x":1},"z":1}');
  });

  /** The README's rule written out plainly: keys sorted by UTF-16 code unit, JSON.stringify for the rest. */
  function reference(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : reference(item))).join(',')}]`;
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${reference(record[key])}`).join(',')}}`;
    }
    return JSON.stringify(value);
  }

  it('orders integer-like keys by UTF-16 code unit too, as the README specifies', () => {
    // A JavaScript object always enumerates integer-like keys first, in numeric order ("9" before "10"),
    // whatever order they were inserted in; an implementation in another language must not have to know that.
    expect(canonicalJson({ '9': 1, '10': 2, a: { '2': true, '11': false, '-1': null } })).toBe('{"10":2,"9":1,"a":{"-1":null,"11":false,"2":true}}');
    expect(canonicalJson({ '!': 1, '0': 2 })).toBe('{"!":1,"0":2}');
    expect(() => canonicalJson({ '10': 1, '9': Number.NaN })).toThrow('value at key "9" is not JSON: NaN');
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.nat({ max: 200 }).map(String), fc.string()), fc.jsonValue()), (value) => {
        expect(canonicalJson(value)).toBe(reference(JSON.parse(JSON.stringify(value))));
      }),
    );
  });

  it('is the same for any key order and round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('manifest', () => {
  it('parses names, grants, limits and supervision, resolving paths against the manifest directory', () => {
    const manifest = parseManifest(
      `name = "m"\npackage = "../dist/m.wasm"\n[state]\nn = 1\n[[handlers]]\ntype = "timer"\n[[handlers]]\ntype = "supervisor"\nmanifests = ["child.toml"]\n[limits]\ncall-timeout-ms = 250\n[supervision]\nrestart = "always"\nmax-restarts = 2\n`,
      '/srv/actors/m',
    );
    expect(manifest).toMatchObject({
      name: 'm',
      packagePath: '/srv/actors/dist/m.wasm',
      state: { n: 1 },
      handlers: [{ type: 'timer', minIntervalMs: 10 }, { type: 'supervisor', manifests: ['/srv/actors/m/child.toml'] }],
      limits: { callTimeoutMs: 250, mailbox: 1024 },
      supervision: { policy: 'always', maxRestarts: 2, periodMs: 60_000 },
    });
  });

  it('names what is wrong: bad TOML, unknown keys, unknown handlers, a handler granted twice', () => {
    expect(() => parseManifest('name = ', '/x')).toThrow(/is not valid TOML/);
    expect(() => parseManifest('name = "a"\npackage = "a.wasm"\ncolour = "red"', '/x')).toThrow(/colour/);
    expect(() => parseManifest('name = "a"\npackage = "a.wasm"\n[[handlers]]\ntype = "filesystem"', '/x')).toThrow(/invalid/);
    expect(() => parseManifest('name = "a"\npackage = "a.wasm"\n[[handlers]]\ntype = "store"\n[[handlers]]\ntype = "store"', '/x')).toThrow(
      'grants handler "store" twice',
    );
  });
});

describe('restart tracker', () => {
  it('allows maxRestarts per sliding window and only the endings the policy covers', () => {
    const tracker = new RestartTracker({ policy: 'on-failure', maxRestarts: 2, periodMs: 1000 });
    expect(tracker.allow('exit', 0)).toBe(false);
    expect(tracker.allow('failure', 0)).toBe(true);
    expect(tracker.allow('failure', 500)).toBe(true);
    expect(tracker.allow('failure', 900)).toBe(false);
    expect(tracker.allow('failure', 1001)).toBe(true);
    expect(new RestartTracker({ policy: 'always', maxRestarts: 1, periodMs: 10 }).allow('exit', 0)).toBe(true);
    expect(new RestartTracker({ policy: 'never', maxRestarts: 5, periodMs: 10 }).allow('failure', 0)).toBe(false);
  });
});

describe('chain verification', () => {
  it('names an event whose parent link is wrong even though its own hash is right', () => {
    const a = makeEvent('actor.start', { n: 1 }, null);
    const b = makeEvent('export.call', { n: 2 }, a.hash);
    const stray = makeEvent('export.result', { n: 3 }, 'f'.repeat(64));
    expect(verifyLines([a, b, stray].map(eventLine))).toMatchObject({ ok: false, index: 2, reason: expect.stringContaining('does not link') });
    expect(verifyLines([a, b].map(eventLine))).toEqual({ ok: true, length: 2, head: b.hash });
  });

  it('names a line changed in a way JSON.parse cannot see (1e+21 written 1E+21)', () => {
    const a = makeEvent('actor.start', { big: 1e21 }, null);
    const b = makeEvent('export.call', { n: 2 }, a.hash);
    const lines = [a, b].map(eventLine);
    expect(lines[0]).toContain('1e+21');
    lines[0] = lines[0]!.replace('1e+21', '1E+21');
    expect(verifyLines(lines)).toMatchObject({ ok: false, index: 0, reason: 'line is not the canonical encoding of its event' });
  });
});

describe('ABI packing', () => {
  it('packs pointer and length into an i64 and back, for the whole u32 range', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffff_ffff }), fc.nat({ max: 0xffff_ffff }), (ptr, len) => {
        expect(unpack(pack(ptr, len))).toEqual({ ptr, len });
      }),
    );
  });
});
