import net from 'node:net';

/** Where the handler may connect or listen. Absent fields allow everything. */
export interface AddressPolicy {
  /** Host names or IP addresses allowed, compared case-insensitively; `'*'` allows any. */
  hosts?: readonly string[];
  /** Inclusive port range allowed, e.g. `[1024, 65535]`. Port 0 (listen on any free port) is always allowed. */
  ports?: readonly [number, number];
  /** Last word: a predicate run after the lists pass. */
  allow?: (host: string, port: number) => boolean;
}

/** Why an address is refused, or undefined when the policy allows it. */
export function refuseAddress(policy: AddressPolicy | undefined, host: string, port: number): string | undefined {
  if (/\s/.test(host) || host.includes('/')) return 'the host is not a valid host name or address';
  if (host.includes(':') && net.isIPv6(host) === false) return 'the host is not a valid host name or address';
  if (policy === undefined) return undefined;
  if (policy.hosts !== undefined && !policy.hosts.includes('*')) {
    const wanted = host.toLowerCase();
    if (!policy.hosts.some((allowed) => allowed.toLowerCase() === wanted)) {
      return `host ${host} is not in the allowed hosts (${policy.hosts.join(', ')})`;
    }
  }
  if (policy.ports !== undefined && port !== 0) {
    const [min, max] = policy.ports;
    if (port < min || port > max) return `port ${port} is outside the allowed range ${min}-${max}`;
  }
  if (policy.allow !== undefined && !policy.allow(host, port)) return 'the address policy refused it';
  return undefined;
}
