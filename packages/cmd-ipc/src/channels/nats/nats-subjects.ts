/**
 * The NATS subject layout. With prefix `cmd-ipc` and hub name `root`:
 *
 *   cmd-ipc.root.hello               a client asks for a session (request/reply; "no responders" = no hub)
 *   cmd-ipc.root.s.<session>.up      client → hub frames of one session
 *   cmd-ipc.root.s.<session>.down    hub → client frames of one session
 *
 * A session id is random per connection attempt, so a reconnecting client never mixes with its past.
 */
export interface NatsSubjects {
  hello: string;
  up: string;
  down: string;
}

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** Throws a RangeError unless `value` is usable as one subject token (no dots, spaces or wildcards). */
export function assertSubjectPart(name: string, value: string): void {
  for (const token of value.split('.')) {
    if (!TOKEN.test(token)) throw new RangeError(`NATS ${name} "${value}" must be dot-separated tokens of letters, digits, _ and -`);
  }
}

/** The hello subject a hub listens on. */
export function helloSubject(prefix: string, hub: string): string {
  return `${prefix}.${hub}.hello`;
}

/** The subjects of one session. */
export function sessionSubjects(prefix: string, hub: string, session: string): NatsSubjects {
  const base = `${prefix}.${hub}.s.${session}`;
  return { hello: helloSubject(prefix, hub), up: `${base}.up`, down: `${base}.down` };
}

/** True when `value` is a well-formed session id (as the hub reads it off a hello). */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(value);
}
