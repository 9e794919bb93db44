import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsSources {
  pendingApprovals: () => Promise<number>;
  ledgerSize: () => Promise<number>;
}

/** Prometheus metrics for /metrics; one registry per server so tests and embeddings do not collide. */
export function createMetrics(sources: MetricsSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gatehouse_process_' });
  const decisions = new Counter({
    name: 'gatehouse_decisions_total',
    help: 'Decisions by action and enforcement point',
    labelNames: ['action', 'enforcement_point'] as const,
    registers: [registry],
  });
  const decisionLatency = new Histogram({
    name: 'gatehouse_decision_latency_seconds',
    help: 'Time to a durable decision (pipeline + ledger append)',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [registry],
  });
  const httpLatency = new Histogram({
    name: 'gatehouse_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'gatehouse_approvals_pending',
    help: 'Approval requests waiting for a human',
    registers: [registry],
    async collect() {
      this.set(await sources.pendingApprovals());
    },
  });
  new Gauge({
    name: 'gatehouse_ledger_entries',
    help: 'Entries in the decision ledger',
    registers: [registry],
    async collect() {
      this.set(await sources.ledgerSize());
    },
  });
  return { registry, decisions, decisionLatency, httpLatency };
}

export type Metrics = ReturnType<typeof createMetrics>;
