import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openLedger } from '../../src/ledger/service/ledger.ts';
import { runCli } from '../helpers/cli.ts';
import { testDeployment } from '../helpers/runtime.ts';
import { startServe } from '../helpers/serve.ts';

test('graceful shutdown: every decision acknowledged before SIGTERM is in the ledger, which verifies', async () => {
  const d = testDeployment();
  const serve = await startServe(d.configFile);
  try {
    const created = await runCli(['keys', 'create', '--db', serve.db, '--tenant', 'acme', '--role', 'agent', '--agent', 'dev-assistant', '--json']);
    const token = JSON.parse(created.stdout).token as string;
    const acknowledged: string[] = [];
    let refused = 0;
    const one = async (i: number) => {
      try {
        const res = await fetch(`${serve.url}/api/v1/decide`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ tool: 'create_issue', server: 'github', arguments: { title: `issue ${i}` } }),
          // a request the closing server never answered is simply not acknowledged
          signal: AbortSignal.timeout(20_000),
        });
        if (res.status === 200) acknowledged.push(((await res.json()) as { actionId: string }).actionId);
        else refused++;
      } catch {
        refused++; // connection closed by the shutdown: never acknowledged
      }
    };
    let loadDone = false;
    const load = Promise.all(Array.from({ length: 300 }, (_, i) => one(i))).finally(() => (loadDone = true));
    // SIGTERM once the server is answering, with most calls still in flight (however busy the machine is)
    while (acknowledged.length < 5 && !loadDone) await new Promise((r) => setTimeout(r, 5));
    const exit = serve.stop();
    await load;
    assert.equal(await exit, 0, serve.stderr());
    assert.ok(acknowledged.length > 0, 'some decisions were acknowledged');
    const ledger = await openLedger({ path: serve.db, readonly: true });
    try {
      for (const id of acknowledged) assert.ok(await ledger.getByActionId(id), `acknowledged ${id} is in the ledger`);
      assert.equal((await ledger.verify()).ok, true);
    } finally {
      await ledger.close();
    }
    process.stdout.write(`# acknowledged ${acknowledged.length}, refused or cut off ${refused}\n`);
  } finally {
    await serve.stop();
    await d.cleanup();
  }
});
