import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  attachWebhooks,
  signWebhookPayload,
  verifyWebhookSignature,
  WebhookNotifier,
  type WebhookOutcome,
} from '../../src/approvals/webhook.ts';
import { memoryService, mergeRequest } from './helpers.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1:0 answering each request with the next status of `statuses` (then 200); 0 = never answer. */
async function receiver(statuses: number[] = []): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      const status = statuses.shift() ?? 200;
      if (status === 0) return; // hang
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    got,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const SECRET = 'whsec-test-0123456789';
const fast = { baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000 };

test('delivery is signed; the receiver verifies it; old, tampered and foreign requests are rejected', async () => {
  const rx = await receiver();
  const { service } = memoryService();
  const delivered: WebhookOutcome[] = [];
  const notifier = new WebhookNotifier({ targets: [{ url: rx.url, secret: SECRET }], ...fast, onDelivered: (o) => delivered.push(o) });
  try {
    attachWebhooks(service, notifier);
    const a = await service.request(mergeRequest);
    await notifier.idle();
    assert.equal(rx.got.length, 1);
    const { headers, body } = rx.got[0]!;
    const timestamp = headers['x-gatehouse-timestamp'] as string;
    const signature = headers['x-gatehouse-signature'] as string;
    assert.match(headers['x-gatehouse-delivery'] as string, /^[0-9a-f-]{36}$/);
    assert.equal(headers['x-gatehouse-event'], 'approval.requested');
    assert.equal(signature, signWebhookPayload(SECRET, timestamp, body));
    assert.deepEqual(verifyWebhookSignature({ secret: SECRET, body, timestamp, signature }), { ok: true });
    const payload = JSON.parse(body);
    assert.equal(payload.type, 'approval.requested');
    assert.equal(payload.approval.id, a.id);
    assert.deepEqual(payload.approval.arguments, mergeRequest.argumentsRedacted);
    assert.equal(delivered.length, 1);
    assert.equal(delivered[0]!.attempts, 1);

    const later = (Number(timestamp) + 301) * 1000;
    assert.deepEqual(verifyWebhookSignature({ secret: SECRET, body, timestamp, signature, now: later }), { ok: false, reason: 'stale' });
    assert.deepEqual(verifyWebhookSignature({ secret: SECRET, body, timestamp, signature, now: (Number(timestamp) - 400) * 1000 }), { ok: false, reason: 'stale' });
    // re-signing the old request with a fresh timestamp needs the secret
    const fresh = String(Number(timestamp) + 301);
    assert.deepEqual(verifyWebhookSignature({ secret: SECRET, body, timestamp: fresh, signature, now: later }), { ok: false, reason: 'mismatch' });
    assert.deepEqual(verifyWebhookSignature({ secret: SECRET, body: body + ' ', timestamp, signature }), { ok: false, reason: 'mismatch' });
    assert.deepEqual(verifyWebhookSignature({ secret: 'other', body, timestamp, signature }), { ok: false, reason: 'mismatch' });
    assert.deepEqual(verifyWebhookSignature({ secret: SECRET, body, timestamp, signature: signature.slice(7) }), { ok: false, reason: 'malformed' });
    assert.deepEqual(verifyWebhookSignature({ secret: SECRET, body, timestamp: undefined, signature }), { ok: false, reason: 'malformed' });

    await service.approve(a.id, { by: 'alice', reason: 'fine' });
    await notifier.idle();
    const decided = JSON.parse(rx.got[1]!.body);
    assert.deepEqual([decided.type, decided.approval.status, decided.approval.decidedBy], ['approval.decided', 'approved', 'alice']);
  } finally {
    await notifier.close();
    await rx.close();
  }
});

test('5xx answers are retried with the same delivery id until one succeeds', async () => {
  const rx = await receiver([500, 503]);
  const { service } = memoryService();
  const delivered: WebhookOutcome[] = [];
  const failed: WebhookOutcome[] = [];
  const notifier = new WebhookNotifier({
    targets: [{ url: rx.url, secret: SECRET }],
    ...fast,
    onDelivered: (o) => delivered.push(o),
    onFailure: (o) => failed.push(o),
  });
  try {
    notifier.notify({ type: 'approval.requested', approval: await service.request(mergeRequest) });
    await notifier.idle();
    assert.equal(rx.got.length, 3);
    assert.equal(new Set(rx.got.map((r) => r.headers['x-gatehouse-delivery'])).size, 1);
    for (const r of rx.got) {
      const ok = verifyWebhookSignature({
        secret: SECRET,
        body: r.body,
        timestamp: r.headers['x-gatehouse-timestamp'] as string,
        signature: r.headers['x-gatehouse-signature'] as string,
      });
      assert.deepEqual(ok, { ok: true });
    }
    assert.deepEqual(delivered.map((o) => [o.attempts, o.status]), [[3, 200]]);
    assert.deepEqual(failed, []);
  } finally {
    await notifier.close();
    await rx.close();
  }
});

test('a 4xx answer is not retried; the failure is reported', async () => {
  const rx = await receiver([400]);
  const failed: WebhookOutcome[] = [];
  const { service } = memoryService();
  const notifier = new WebhookNotifier({ targets: [{ url: rx.url, secret: SECRET }], ...fast, onFailure: (o) => failed.push(o) });
  try {
    notifier.notify({ type: 'approval.requested', approval: await service.request(mergeRequest) });
    await notifier.idle();
    assert.equal(rx.got.length, 1);
    assert.deepEqual(failed.map((o) => [o.attempts, o.status, o.error]), [[1, 400, 'HTTP 400']]);
  } finally {
    await notifier.close();
    await rx.close();
  }
});

test('target down or hanging: bounded attempts, failure callback, the approval stays pending and decisions are not blocked', async () => {
  const down = await receiver();
  const downUrl = down.url;
  await down.close(); // nothing listens on that port any more
  const hang = await receiver([0, 0, 0]);
  const failed: WebhookOutcome[] = [];
  const { service } = memoryService();
  const notifier = new WebhookNotifier({
    targets: [
      { url: downUrl, secret: SECRET },
      { url: hang.url, secret: SECRET },
    ],
    ...fast,
    timeoutMs: 150,
    maxAttempts: 3,
    onFailure: (o) => failed.push(o),
  });
  try {
    attachWebhooks(service, notifier);
    const a = await service.request(mergeRequest); // returns although both targets are unreachable
    assert.equal((await service.get(a.id)).status, 'pending');
    await notifier.idle();
    const byUrl = new Map(failed.map((o) => [o.url, o]));
    assert.equal(byUrl.get(downUrl)?.attempts, 3);
    assert.match(byUrl.get(downUrl)!.error!, /gave up after 3 attempts/);
    assert.equal(byUrl.get(hang.url)?.attempts, 3);
    assert.match(byUrl.get(hang.url)!.error!, /no answer within 150 ms/);
    assert.equal(hang.got.length, 3);
    assert.equal((await service.get(a.id)).status, 'pending', 'a failed webhook approves nothing');
    const denied = await service.deny(a.id, { by: 'bob', reason: 'no' }); // the decision path does not wait for webhooks
    assert.equal(denied.status, 'denied');
    await notifier.idle();
  } finally {
    await notifier.close();
    await hang.close();
  }
});

test('Slack format: text plus blocks with approve and deny instructions', async () => {
  const rx = await receiver();
  const { service } = memoryService();
  const notifier = new WebhookNotifier({ targets: [{ url: rx.url, secret: SECRET, format: 'slack' }], ...fast, consoleUrl: 'https://gh.example/' });
  try {
    attachWebhooks(service, notifier);
    const a = await service.request({ ...mergeRequest, argumentsRedacted: { title: '<script>&' } });
    await notifier.idle();
    const p = JSON.parse(rx.got[0]!.body);
    assert.equal(typeof p.text, 'string');
    assert.match(p.text, /Approval needed: release-bot → github\/merge_pull_request/);
    assert.ok(Array.isArray(p.blocks) && p.blocks.every((b: { type: string }) => b.type === 'section'));
    const all = JSON.stringify(p.blocks);
    assert.ok(all.includes(`gatehouse approvals approve ${a.id}`));
    assert.ok(all.includes(`gatehouse approvals deny ${a.id} --reason`));
    assert.ok(all.includes(`https://gh.example/approvals/${a.id}`));
    assert.ok(all.includes('&lt;script&gt;&amp;') && !all.includes('<script>'));
    await service.cancel(a.id, { by: 'release-bot', reason: 'session over' });
    await notifier.idle();
    assert.match(JSON.parse(rx.got[1]!.body).text, /cancelled by release-bot/);
  } finally {
    await notifier.close();
    await rx.close();
  }
});
