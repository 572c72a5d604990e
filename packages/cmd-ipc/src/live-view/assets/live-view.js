// The live view of a cmd-ipc mesh, run by the browser as served (no build step).
//
// The page is a peer of the hub like any other: it opens a WebSocket to the hub, passes the same
// shared-secret handshake (as the read-only `live-view` identity whose secret the hub made for this
// run), answers the hub's list request with no commands, and then only runs the hub's management
// commands (`hub.topology`, `hub.events`). Every event in the mesh reaches it over the socket;
// each one prompts a `hub.events` call, which says which node the event came from.

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 820;
const HEIGHT = 540;
const HUB = { x: WIDTH / 2, y: HEIGHT / 2 };
const TOPOLOGY_POLL_MS = 1000;
const CALL_TIMEOUT_MS = 10000;
const MAX_EVENT_ROWS = 80;

const state = {
  socket: undefined,
  pending: new Map(),
  topology: undefined,
  lastSeq: 0,
  fetchingEvents: false,
  eventsAgain: false,
  retryMs: 500,
  pollTimer: undefined,
  positions: new Map(),
};

const $ = (id) => document.getElementById(id);
const encoder = new TextEncoder();

// ---------------------------------------------------------------------------------------------
// Connection: handshake, then the cmd-ipc v1 messages this page needs.

function base64url(bytes) {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function hmac(secret, text) {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return base64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text))));
}

function setStatus(kind, text) {
  const element = $('status');
  element.className = 'status ' + kind;
  element.dataset.state = kind;
  element.textContent = text;
}

async function connect() {
  let config;
  try {
    const response = await fetch('/live-view/config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error('the hub answered ' + response.status);
    config = await response.json();
  } catch (error) {
    setStatus('disconnected', 'cannot load config: ' + error.message);
    return retryLater();
  }
  $('hub-id').textContent = config.hubId;
  document.title = 'cmd-ipc live view · ' + config.hubId;
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const socket = new WebSocket(scheme + location.host + '/');
  state.socket = socket;
  const nonce = base64url(crypto.getRandomValues(new Uint8Array(32)));
  let phase = 'challenge';

  socket.addEventListener('message', async (event) => {
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    if (phase === 'challenge' && frame.$ === 'challenge') {
      phase = 'accept';
      const mac = await hmac(config.secret, frame.nonce + config.identity);
      socket.send(JSON.stringify({ $: 'auth', v: 1, identity: config.identity, nonce, mac, extensions: false }));
    } else if (phase === 'accept' && frame.$ === 'accept') {
      const expected = await hmac(config.secret, 'server' + nonce + config.identity);
      if (frame.proof !== expected) {
        setStatus('disconnected', 'the hub did not prove it knows the secret');
        socket.close(4401, 'bad proof');
        return;
      }
      phase = 'open';
      state.retryMs = 500;
      setStatus('live', 'live');
      refreshTopology();
      fetchEvents();
      state.pollTimer = setInterval(refreshTopology, TOPOLOGY_POLL_MS);
    } else if (phase === 'open') {
      onMessage(frame);
    }
  });
  socket.addEventListener('close', (event) => {
    clearInterval(state.pollTimer);
    for (const { reject, timer } of state.pending.values()) {
      clearTimeout(timer);
      reject(new Error('connection closed'));
    }
    state.pending.clear();
    setStatus('disconnected', 'disconnected' + (event.reason ? ': ' + event.reason : ' (' + event.code + ')'));
    if (state.topology) render(state.topology, true);
    retryLater();
  });
}

function retryLater() {
  setTimeout(connect, state.retryMs);
  state.retryMs = Math.min(state.retryMs * 2, 10000);
}

function send(message) {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) state.socket.send(JSON.stringify(message));
}

function onMessage(message) {
  switch (message.type) {
    case 'list.commands.request':
      // This page offers nothing to the mesh.
      send({ id: crypto.randomUUID(), type: 'list.commands.response', thid: message.id, commands: [] });
      return;
    case 'execute.command.request':
      send({
        id: crypto.randomUUID(),
        type: 'execute.command.response',
        thid: message.id,
        response: { ok: false, error: { code: 'not_found', message: 'the live view serves no commands' } },
      });
      return;
    case 'execute.command.response': {
      const call = state.pending.get(message.thid);
      if (!call) return;
      state.pending.delete(message.thid);
      clearTimeout(call.timer);
      if (message.response.ok) call.resolve(message.response.result);
      else call.reject(new Error(message.response.error.code + ': ' + message.response.error.message));
      return;
    }
    case 'event':
      fetchEvents();
      if (message.eventId === 'cmd-ipc.channel.closed') refreshTopology();
      return;
    default:
      return;
  }
}

function execute(commandId, request) {
  return new Promise((resolve, reject) => {
    const id = crypto.randomUUID();
    const timer = setTimeout(() => {
      state.pending.delete(id);
      reject(new Error(commandId + ' timed out'));
    }, CALL_TIMEOUT_MS);
    state.pending.set(id, { resolve, reject, timer });
    const message = { id, type: 'execute.command.request', commandId };
    if (request !== undefined) message.request = request;
    send(message);
  });
}

async function refreshTopology() {
  try {
    const topology = await execute('hub.topology');
    const previous = state.topology;
    state.topology = topology;
    render(topology, false);
    if (previous) flashChangedEdges(previous, topology);
  } catch (error) {
    console.warn('hub.topology failed', error);
  }
}

// One `hub.events` call at a time; events that arrive meanwhile are picked up by one more call.
async function fetchEvents() {
  if (state.fetchingEvents) {
    state.eventsAgain = true;
    return;
  }
  state.fetchingEvents = true;
  try {
    let any = false;
    do {
      state.eventsAgain = false;
      const first = state.lastSeq === 0;
      const { events, last } = await execute('hub.events', first ? { limit: 30 } : { after: state.lastSeq });
      state.lastSeq = last;
      for (const event of events) addEventRow(event, !first);
      any = any || events.length > 0;
      $('count-events').textContent = String(last);
    } while (state.eventsAgain);
    // The per-node event counts in the picture come from the topology: bring them up to date too.
    if (any) refreshTopology();
  } catch (error) {
    console.warn('hub.events failed', error);
  } finally {
    state.fetchingEvents = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Drawing.

function svg(tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function layout(count) {
  const positions = [];
  for (let i = 0; i < count; i++) {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(count, 1) + (count === 2 ? Math.PI / 2 : 0);
    positions.push({ x: HUB.x + Math.cos(angle) * 300, y: HUB.y + Math.sin(angle) * 190 });
  }
  return positions;
}

function render(topology, offline) {
  const peers = topology.nodes.filter((node) => node.role !== 'viewer');
  const viewers = topology.nodes.length - peers.length;
  const shown = peers.map((node) => ({ ...node, gone: false })).concat(topology.departed.map((node) => ({ ...node, role: 'node', gone: true })));
  const positions = layout(shown.length);
  const edges = $('edges');
  const nodes = $('nodes');
  edges.replaceChildren();
  nodes.replaceChildren();
  state.positions.clear();

  shown.forEach((node, index) => {
    const at = positions[index];
    state.positions.set(node.identity, at);
    const edge = svg('line', { x1: HUB.x, y1: HUB.y, x2: at.x, y2: at.y, class: 'edge' + (node.gone ? ' gone' : ''), 'data-edge': node.identity });
    edges.append(edge);
    edges.append(svg('text', { x: (HUB.x + at.x) / 2 + 6, y: (HUB.y + at.y) / 2 - 6, class: 'edge-label' }, node.gone ? 'lost' : node.transport));

    const group = svg('g', { 'data-node': node.identity, 'data-role': node.role, 'data-gone': node.gone ? 'true' : 'false', transform: 'translate(' + (at.x - 95) + ',' + (at.y - 32) + ')' });
    group.append(svg('rect', { width: 190, height: 64, rx: 8, class: 'node-box ' + (node.gone ? 'gone' : node.role) }));
    group.append(svg('text', { x: 12, y: 24, class: 'node-title' }, truncate(node.identity, 20)));
    const sub = node.gone
      ? 'gone · had ' + plural(node.commands.length, 'command')
      : node.role + ' · ' + plural(node.commands.length, 'command') + ' · ' + plural(node.eventsFrom, 'event');
    group.append(svg('text', { x: 12, y: 46, class: 'node-sub' }, sub));
    nodes.append(group);
  });

  const hub = svg('g', { 'data-node': topology.hub.id, 'data-role': 'hub' });
  hub.append(svg('circle', { cx: HUB.x, cy: HUB.y, r: 56, class: 'hub-circle', id: 'hub-circle' }));
  hub.append(svg('text', { x: HUB.x, y: HUB.y - 4, 'text-anchor': 'middle', class: 'hub-title' }, truncate(topology.hub.id, 12)));
  hub.append(svg('text', { x: HUB.x, y: HUB.y + 16, 'text-anchor': 'middle', class: 'node-sub' }, 'hub' + (viewers ? ' · ' + viewers + ' viewer' + (viewers > 1 ? 's' : '') : '')));
  nodes.append(hub);
  state.positions.set(topology.hub.id, HUB);

  renderCommands(topology, peers);
  $('count-nodes').textContent = String(peers.filter((node) => node.role === 'node').length);
  const total = topology.hub.commands.length + peers.reduce((sum, node) => sum + node.commands.length, 0);
  $('count-commands').textContent = String(total);
  $('count-events').textContent = String(topology.eventsSeen);
  if (offline) for (const box of nodes.querySelectorAll('rect')) box.style.opacity = '0.4';
}

function renderCommands(topology, peers) {
  const owners = [{ identity: topology.hub.id, role: 'hub', commands: topology.hub.commands }].concat(peers);
  const container = $('commands');
  container.replaceChildren();
  for (const owner of owners) {
    const block = document.createElement('div');
    block.className = 'owner';
    block.dataset.owner = owner.identity;
    const title = document.createElement('h3');
    title.className = owner.role;
    title.textContent = owner.identity + ' (' + owner.commands.length + ')';
    const list = document.createElement('ul');
    if (owner.commands.length === 0) {
      const none = document.createElement('li');
      none.className = 'none';
      none.textContent = 'no commands';
      list.append(none);
    }
    for (const id of owner.commands) {
      const item = document.createElement('li');
      item.textContent = id;
      list.append(item);
    }
    block.append(title, list);
    container.append(block);
  }
}

function flashChangedEdges(previous, next) {
  const before = new Map(previous.nodes.map((node) => [node.channelId, node.eventsFrom]));
  for (const node of next.nodes) {
    const was = before.get(node.channelId);
    if (was !== undefined && node.eventsFrom > was) {
      const edge = document.querySelector('[data-edge="' + CSS.escape(node.identity) + '"]');
      if (edge) {
        edge.classList.remove('flash');
        void edge.getBoundingClientRect();
        edge.classList.add('flash');
      }
    }
  }
}

// A dot that travels from the node an event came from to the hub.
function pulse(from) {
  const start = state.positions.get(from);
  if (!start || start === HUB) return;
  const dot = svg('circle', { cx: start.x, cy: start.y, r: 6, class: 'pulse' });
  $('pulses').append(dot);
  const began = performance.now();
  const step = (now) => {
    const t = Math.min((now - began) / 700, 1);
    dot.setAttribute('cx', String(start.x + (HUB.x - start.x) * t));
    dot.setAttribute('cy', String(start.y + (HUB.y - start.y) * t));
    if (t < 1) requestAnimationFrame(step);
    else dot.remove();
  };
  requestAnimationFrame(step);
}

function addEventRow(event, fresh) {
  const row = document.createElement('tr');
  row.dataset.eventId = event.eventId;
  row.dataset.from = event.from;
  if (fresh) row.className = 'new';
  const cells = [
    new Date(event.at).toLocaleTimeString([], { hour12: false }) + '.' + String(event.at % 1000).padStart(3, '0'),
    event.from,
    event.eventId,
    event.payload === undefined ? '' : JSON.stringify(event.payload),
  ];
  cells.forEach((text, index) => {
    const cell = document.createElement('td');
    cell.textContent = truncate(text, 400);
    cell.title = text;
    if (index === 1) cell.className = 'from' + (state.topology && event.from === state.topology.hub.id ? ' hub' : '');
    if (index === 3) cell.className = 'payload';
    row.append(cell);
  });
  const body = $('events');
  body.prepend(row);
  while (body.children.length > MAX_EVENT_ROWS) body.lastElementChild.remove();
  if (fresh) pulse(event.from);
}

function plural(count, noun) {
  return count + ' ' + noun + (count === 1 ? '' : 's');
}

function truncate(text, max) {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

connect();
