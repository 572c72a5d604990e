import { DEFAULT_PORT, DEFAULT_URL, URL_ENV } from './connection/hub-url.js';
import { SECRET_ENV, SECRET_FILE_ENV } from './connection/secret.js';

/** The text `cmd-ipc --help` prints. */
export const USAGE = `cmd-ipc — run and inspect a cmd-ipc mesh

Usage:
  cmd-ipc serve    [--host H] [--port P] [--tcp-port P] [--id ID] [--no-live-view]
                   start a hub: a root registry with a WebSocket server (and the live page
                   at http://H:P/), and a TCP server too when --tcp-port is given
  cmd-ipc list     [prefix]           every command in the mesh, its owner and schema summary
  cmd-ipc describe <id>               one command: owner, description, full JSON Schema
  cmd-ipc exec     <id> [json]        run a command with a JSON request; print its result
  cmd-ipc exec     <id> --file F      … with the request read from file F ('-' for stdin)
  cmd-ipc watch    [event-prefix]     print events as they pass through the hub
  cmd-ipc nodes                       the peers linked to the hub and what each owns

Connecting (every command but serve):
  --url URL            the hub: ws://, wss:// or tcp:// (default $${URL_ENV}, else ${DEFAULT_URL})
  --secret-file F      the shared secret, read from a file; otherwise $${SECRET_ENV},
                       otherwise the file named by $${SECRET_FILE_ENV}
  --identity NAME      who to authenticate as (default cli-<pid>)
  --connect-timeout MS time to reach and authenticate to the hub (default 5000)

Options:
  --json               machine-readable output (one JSON document, or JSON lines for
                       watch and serve)
  --timeout MS         exec: time to wait for the result (default 30000)
  --count N            watch: exit after N events
  --port P             serve: WebSocket and live page port (default ${DEFAULT_PORT}; 0 = any free)
  --tcp-port P         serve: also accept peers over TCP on this port (0 = any free)
  --host H             serve: interface to listen on (default 127.0.0.1)
  --secret-file F      serve: the secret peers must know; with none set anywhere, serve
                       makes one and writes it to a private temporary file
  -h, --help           this text

Exit codes:
  0 ok · 1 unexpected failure · 2 bad arguments · 3 hub unreachable or secret refused
  exec errors: 4 not_found · 5 invalid_request · 6 internal_error · 7 timeout
               8 channel_disconnected
`;
