import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadLiveViewAssets } from './assets.js';

/** What the page needs to join the mesh as the read-only viewer. */
export interface LiveViewConfig {
  hubId: string;
  identity: string;
  secret: string;
}

/** Answers one HTTP request; returns false when the path is not the live view's. */
export type LiveViewHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

/** Host names the page (and the viewer secret in its config) is served to. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Serves the live page: `/` (HTML), `/live-view.js`, `/live-view.css`, and `/live-view/config.json`
 * (the viewer identity and its per-run secret). The config is only given to requests whose Host
 * header names a loopback address, so a web page elsewhere that rebinds its DNS name to 127.0.0.1
 * cannot read the secret; a hub bound to another interface serves it to that host too.
 */
export function createLiveViewHandler(config: LiveViewConfig, options: { host?: string } = {}): LiveViewHandler {
  const assets = loadLiveViewAssets();
  const allowedHost = (header: string | undefined): boolean => {
    if (header === undefined) return false;
    const name = header.replace(/:\d+$/, '');
    if (LOOPBACK_HOSTS.has(name)) return true;
    return options.host !== undefined && (name === options.host || options.host === '0.0.0.0' || options.host === '::');
  };
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const path = new URL(request.url ?? '/', 'http://hub').pathname;
    switch (path) {
      case '/':
      case '/index.html':
        reply(response, 'text/html; charset=utf-8', assets.html);
        return true;
      case '/live-view.js':
        reply(response, 'text/javascript; charset=utf-8', assets.script);
        return true;
      case '/live-view.css':
        reply(response, 'text/css; charset=utf-8', assets.style);
        return true;
      case '/live-view/config.json':
        if (!allowedHost(request.headers.host)) {
          reply(response, 'text/plain; charset=utf-8', `the live view config is only served to loopback hosts, not ${request.headers.host ?? '(none)'}\n`, 403);
          return true;
        }
        reply(response, 'application/json', JSON.stringify(config), 200, { 'cache-control': 'no-store' });
        return true;
      case '/favicon.ico':
        response.writeHead(204).end();
        return true;
      default:
        return false;
    }
  };
}

function reply(response: ServerResponse, type: string, body: string, status = 200, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    // Only this page's own script and style; the socket back to the hub; no framing by other sites.
    'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...headers,
  });
  response.end(body);
}
