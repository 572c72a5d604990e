import { describe, expect, it } from 'vitest';
import { TcpClient } from '../tcp/tcp-client.js';
import { WebSocketClient } from '../websocket/websocket-client.js';
import { createHubClient, InvalidHubUrlError, parseHubAddress } from './hub-client.js';

const auth = { identity: 'node-a', secret: 'a-secret-of-enough-length' };

describe('hub URLs', () => {
  it('reads ws://, wss:// and tcp:// (with IPv6 brackets stripped)', () => {
    expect(parseHubAddress('ws://127.0.0.1:7800')).toEqual({ kind: 'ws', url: 'ws://127.0.0.1:7800' });
    expect(parseHubAddress('wss://hub.example:443/path')).toEqual({ kind: 'ws', url: 'wss://hub.example:443/path' });
    expect(parseHubAddress('tcp://[::1]:7801')).toEqual({ kind: 'tcp', url: 'tcp://[::1]:7801', host: '::1', port: 7801 });
  });

  it('refuses anything else with a message naming it and a hint', () => {
    expect(() => parseHubAddress('http://127.0.0.1:7800')).toThrow(InvalidHubUrlError);
    expect(() => parseHubAddress('http://127.0.0.1:7800')).toThrow('unsupported hub URL scheme http: in http://127.0.0.1:7800');
    expect(() => parseHubAddress('tcp://127.0.0.1')).toThrow('a tcp:// hub URL needs a host and a port, got tcp://127.0.0.1');
    expect(() => parseHubAddress('not a url')).toThrow('not a URL: not a url');
  });

  it('makes the client the scheme calls for', async () => {
    const ws = createHubClient('ws://127.0.0.1:1', { auth, reconnect: false });
    const tcp = createHubClient('tcp://127.0.0.1:1', { auth, reconnect: false });
    expect(ws).toBeInstanceOf(WebSocketClient);
    expect(tcp).toBeInstanceOf(TcpClient);
    await Promise.all([ws.close(), tcp.close()]);
  });
});
