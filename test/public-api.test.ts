import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as gatehouse from '../src/index.ts';

test('the public entry exports the SDK, the adapters, the pure cores and the ledger', () => {
  for (const name of ['createGatehouse', 'GovernanceDenied', 'GovernanceEscalated', 'RemoteClient', 'claudeAgentSdkGovernance', 'Governor', 'compilePolicies', 'evaluatePolicy', 'detectAll', 'openLedger', 'verifyBundle', 'GatehouseError']) {
    assert.equal(typeof (gatehouse as Record<string, unknown>)[name], 'function', name);
  }
});
