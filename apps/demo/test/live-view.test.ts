/**
 * The live page in a real headless Chromium: a real hub (`cmd-ipc serve` in a child process) with
 * three nodes linked over WebSocket and TCP; the page must draw them, list their commands, show
 * events as they flow with the node they came from, and show a node that left. Then the demo's own
 * mesh (`npm run demo -- --serve`) on the same page. Screenshots go to apps/demo/test-output/.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from 'cmd-ipc';
import { startHubProcess, type HubProcess } from '../src/mesh/hub-process.js';
import { ProcessGroup } from '../src/mesh/process-group.js';
import { linkToHub, type LinkedNode } from '../src/nodes/link-to-hub.js';
import { SOURCE_MAIN, finished, isAlive, meshPids, startDemo } from './demo-process.js';

const OUTPUT_DIR = fileURLToPath(new URL('../test-output/', import.meta.url));
const SCREENSHOT = `${OUTPUT_DIR}live-view.png`;
const DEMO_SCREENSHOT = `${OUTPUT_DIR}demo-live-view.png`;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const secret = randomBytes(16).toString('base64url');
const group = new ProcessGroup();
const nodes: LinkedNode[] = [];
let hub: HubProcess;
let browser: Browser;
let page: Page;

/** Links a node registry to the hub and gives it a few commands named after it. */
async function node(identity: string, url: string, commands: string[]): Promise<LinkedNode> {
  const linked = await linkToHub({ identity, url }, secret, silentLogger);
  for (const command of commands) await linked.registry.registerCommand(`${identity}.${command}`, () => `${identity} ${command}`);
  nodes.push(linked);
  return linked;
}

beforeAll(async () => {
  hub = await startHubProcess(group, secret, 20_000);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: 30_000 });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  for (const linked of nodes) await linked.close().catch(() => {});
  await group.stopAll();
});

it('draws the nodes, lists their commands, shows events live with their origin, and shows a node that left', async () => {
  const alpha = await node('alpha', hub.urls.ws, ['ping', 'status', 'compute']);
  const beta = await node('beta', hub.urls.tcp, ['store', 'fetch']);
  const gamma = await node('gamma', hub.urls.ws, ['render']);

  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(hub.urls.liveView);
  await page.locator('#status[data-state="live"]').waitFor({ timeout: 15_000 });

  for (const identity of ['alpha', 'beta', 'gamma']) {
    await page.locator(`#nodes g[data-node="${identity}"][data-gone="false"]`).waitFor({ timeout: 10_000 });
  }
  await expect.poll(() => page.locator('#commands [data-owner="alpha"] li').allTextContents(), { timeout: 10_000 }).toEqual(['alpha.compute', 'alpha.ping', 'alpha.status']);
  expect(await page.locator('#commands [data-owner="beta"] li').allTextContents()).toEqual(['beta.fetch', 'beta.store']);
  expect(await page.locator('#commands [data-owner="hub"] li').allTextContents()).toContain('hub.topology');
  expect(await page.locator('#nodes g[data-node="beta"] text').allTextContents()).toContain('beta');

  // Events emitted after the page is up arrive live, each with the node it came from.
  alpha.registry.emitEvent('alpha.job.finished', { job: 7, ok: true });
  gamma.registry.emitEvent('gamma.frame.rendered', { frame: 1 });
  beta.registry.emitEvent('beta.item.stored', { key: 'k1' });
  await page.locator('#events tr[data-event-id="alpha.job.finished"][data-from="alpha"]').waitFor({ timeout: 10_000 });
  await page.locator('#events tr[data-event-id="gamma.frame.rendered"][data-from="gamma"]').waitFor({ timeout: 10_000 });
  await page.locator('#events tr[data-event-id="beta.item.stored"][data-from="beta"]').waitFor({ timeout: 10_000 });
  expect(await page.locator('#events tr[data-event-id="alpha.job.finished"] td.payload').textContent()).toBe('{"job":7,"ok":true}');

  // A node that leaves is drawn as gone, and the hub's own event about it shows up.
  await beta.close();
  nodes.splice(nodes.indexOf(beta), 1);
  await page.locator('#nodes g[data-node="beta"][data-gone="true"]').waitFor({ timeout: 10_000 });
  await page.locator('#events tr[data-event-id="cmd-ipc.channel.closed"][data-from="hub"]').waitFor({ timeout: 10_000 });
  alpha.registry.emitEvent('alpha.job.started', { job: 8 });
  await page.locator('#events tr[data-event-id="alpha.job.started"]').waitFor({ timeout: 10_000 });
  expect(await page.locator('#count-nodes').textContent()).toBe('2');

  mkdirSync(OUTPUT_DIR, { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  expect(errors).toEqual([]);
});

it('shows the demo mesh kept running by --serve, with its traffic flowing, and Ctrl-C stops it', async () => {
  const run = startDemo(SOURCE_MAIN, ['--serve']);
  try {
    await run.waitFor('The mesh keeps running (--serve)', 120_000);
    const url = /live view +(http:\/\/127\.0\.0\.1:\d+\/)/.exec(run.output())![1]!;
    const demoPage = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    demoPage.on('pageerror', (error) => errors.push(error.message));
    await demoPage.goto(url);
    await demoPage.locator('#status[data-state="live"]').waitFor({ timeout: 15_000 });
    for (const identity of ['tcp-node', 'actor-node', 'cli-demo']) {
      await demoPage.locator(`#nodes g[data-node="${identity}"][data-gone="false"]`).waitFor({ timeout: 10_000 });
    }
    expect(await demoPage.locator('#commands [data-owner="tcp-node"] li').allTextContents()).toContain('tcp.listen');
    expect(await demoPage.locator('#commands [data-owner="actor-node"] li').allTextContents()).toContain('theater.spawn');
    // The traffic --serve sends every 2 s shows up live; the history of the scenario is there too.
    await demoPage.locator('#events tr.new[data-event-id="demo.tick"][data-from="cli-demo"]').waitFor({ timeout: 15_000 });
    expect(await demoPage.locator('#events tr[data-event-id="theater.actor.started"][data-from="actor-node"]').count()).toBeGreaterThan(0);
    mkdirSync(OUTPUT_DIR, { recursive: true });
    await demoPage.screenshot({ path: DEMO_SCREENSHOT, fullPage: true });
    expect(errors).toEqual([]);
    await demoPage.close();
  } finally {
    run.child.kill('SIGINT');
  }
  const { code } = await finished(run, 30_000);
  expect(code, run.output()).toBe(0);
  expect(run.output()).toContain('SIGINT: stopping the mesh');
  expect(meshPids(run.output()).filter(isAlive)).toEqual([]);
}, 180_000);
