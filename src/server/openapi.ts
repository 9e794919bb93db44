import { z } from 'zod';
import { readPackageVersion } from '../cli/version.ts';
import { afterCallBody, approvalDecisionBody, decideBody, spendBody } from './schemas.ts';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ok = (description: string, schema: object = { type: 'object' }) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  '400': ok('Invalid request', ref('Error')),
  '401': ok('Missing or unknown API key', ref('Error')),
  '403': ok('The key may not do this', ref('Error')),
  '404': ok('Not found', ref('Error')),
};
const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

/** The REST API's OpenAPI 3.1 document, served at /openapi.json and committed as openapi.json. */
export function buildOpenApi(): Record<string, unknown> {
  const approvalAction = (verb: string, what: string) => ({
    post: {
      operationId: `${verb}Approval`,
      summary: what,
      parameters: [idParam('id')],
      requestBody: { required: false, content: { 'application/json': { schema: json(approvalDecisionBody) } } },
      responses: { '200': ok('The approval after the change', ref('Approval')), '409': ok('Already decided', ref('Error')), ...errors },
    },
  });
  return {
    openapi: '3.1.0',
    info: { title: 'Gatehouse API', version: readPackageVersion(), description: 'Decisions, approvals and ledger of a Gatehouse deployment.' },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `gatehouse keys create`' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, hint: { type: 'string' }, details: { type: 'array', items: { type: 'object' } } },
            },
          },
        },
        RuleRef: {
          type: 'object',
          required: ['policy', 'kind', 'rule'],
          properties: { policy: { type: 'string' }, kind: { enum: ['ToolPolicy', 'GuardrailPolicy', 'global'] }, rule: { type: 'string' }, file: { type: 'string' }, line: { type: 'integer' }, column: { type: 'integer' } },
        },
        Decision: {
          type: 'object',
          required: ['actionId', 'action', 'reason', 'rule', 'bundleDigest', 'ledgerIndex'],
          properties: {
            actionId: { type: 'string', format: 'uuid' },
            action: { enum: ['allow', 'deny', 'require_approval'] },
            reason: { type: 'string' },
            rule: ref('RuleRef'),
            bundleDigest: { type: 'string' },
            ledgerIndex: { type: 'integer' },
            arguments: { description: 'What the tool should receive (possibly redacted)' },
            argumentsModified: { type: 'boolean' },
            argumentsDigest: { type: 'string' },
            findings: { type: 'array', items: { type: 'object' } },
            approval: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, expiresAt: { type: 'string' } } },
            retryAfterMs: { type: 'number' },
            failOpen: { type: 'boolean' },
            latencyMs: { type: 'number' },
          },
        },
        AfterCallResult: {
          type: 'object',
          required: ['actionId', 'action', 'reason', 'ledgerIndex'],
          properties: { actionId: { type: 'string' }, action: { enum: ['allow', 'redact', 'deny', 'require_approval'] }, reason: { type: 'string' }, result: {}, findings: { type: 'array', items: { type: 'object' } }, ledgerIndex: { type: 'integer' } },
        },
        Approval: {
          type: 'object',
          required: ['id', 'status', 'tenant', 'agent', 'server', 'tool', 'argumentsDigest', 'bundleDigest', 'bindingDigest', 'createdAt', 'expiresAt'],
          properties: Object.fromEntries(
            ['id', 'tenant', 'agent', 'session', 'server', 'tool', 'argumentsDigest', 'bundleDigest', 'rule', 'bindingDigest', 'createdAt', 'expiresAt', 'decidedAt', 'decidedBy', 'reason', 'consumedAt', 'consumedBy']
              .map((k) => [k, { type: ['string', 'null'] }] as [string, object])
              .concat([
                ['status', { enum: ['pending', 'approved', 'denied', 'expired', 'cancelled'] }],
                ['argumentsRedacted', {}],
                ['approvers', { type: ['array', 'null'], items: { type: 'string' } }],
              ]),
          ),
        },
      },
    },
    security: [{ apiKey: [] }],
    paths: {
      '/healthz': { get: { operationId: 'health', security: [], summary: 'Liveness', responses: { '200': ok('Alive') } } },
      '/readyz': { get: { operationId: 'ready', security: [], summary: 'Readiness (store reachable, accepting requests)', responses: { '200': ok('Ready'), '503': ok('Not ready') } } },
      '/metrics': { get: { operationId: 'metrics', summary: 'Prometheus metrics (admin, auditor)', responses: { '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
      '/openapi.json': { get: { operationId: 'openapi', summary: 'This document', responses: { '200': ok('OpenAPI 3.1') } } },
      '/api/v1/decide': {
        post: {
          operationId: 'decide',
          summary: 'Decide one tool call; the answer comes after its ledger entry is durable',
          requestBody: { required: true, content: { 'application/json': { schema: json(decideBody) } } },
          responses: { '200': ok('The decision (deny is a 200 too)', ref('Decision')), '413': ok('Body too large', ref('Error')), ...errors },
        },
      },
      '/api/v1/after-call': {
        post: {
          operationId: 'afterCall',
          summary: "Check a tool's result against GuardrailPolicies",
          requestBody: { required: true, content: { 'application/json': { schema: json(afterCallBody) } } },
          responses: { '200': ok('What the agent may see', ref('AfterCallResult')), ...errors },
        },
      },
      '/api/v1/approvals': {
        get: {
          operationId: 'listApprovals',
          summary: 'Approval requests, newest first',
          parameters: [
            { name: 'status', in: 'query', schema: { enum: ['pending', 'approved', 'denied', 'expired', 'cancelled'] } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 1000 } },
          ],
          responses: { '200': ok('Approvals', { type: 'object', properties: { approvals: { type: 'array', items: ref('Approval') } } }), ...errors },
        },
      },
      '/api/v1/approvals/{id}': { get: { operationId: 'getApproval', parameters: [idParam('id')], responses: { '200': ok('The approval', ref('Approval')), ...errors } } },
      '/api/v1/approvals/{id}/wait': {
        get: {
          operationId: 'waitApproval',
          summary: 'Long poll: answers the moment the request is decided, or at timeoutMs with it still pending',
          parameters: [idParam('id'), { name: 'timeoutMs', in: 'query', schema: { type: 'integer', maximum: 300000 } }],
          responses: { '200': ok('The approval', ref('Approval')), ...errors },
        },
      },
      '/api/v1/approvals/{id}/approve': approvalAction('approve', 'Approve (approver, admin)'),
      '/api/v1/approvals/{id}/deny': approvalAction('deny', 'Deny, with a reason (approver, admin)'),
      '/api/v1/approvals/{id}/cancel': approvalAction('cancel', 'Cancel a pending request'),
      '/api/v1/ledger/entries': {
        get: {
          operationId: 'ledgerEntries',
          parameters: [
            { name: 'from', in: 'query', schema: { type: 'integer', minimum: 0 } },
            { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 1000 } },
          ],
          responses: { '200': ok('Entries from an index'), ...errors },
        },
      },
      '/api/v1/ledger/entries/{actionId}': { get: { operationId: 'ledgerEntry', parameters: [idParam('actionId')], responses: { '200': ok('One entry with its leaf'), ...errors } } },
      '/api/v1/ledger/checkpoint': { get: { operationId: 'checkpoint', summary: 'A signed checkpoint (C2SP signed note) of the current tree', responses: { '200': ok('Checkpoint and verifier key'), ...errors } } },
      '/api/v1/ledger/proof/{actionId}': { get: { operationId: 'inclusionProof', parameters: [idParam('actionId')], responses: { '200': ok('RFC 6962 inclusion proof against a signed checkpoint'), ...errors } } },
      '/api/v1/ledger/consistency': {
        get: {
          operationId: 'consistencyProof',
          parameters: [
            { name: 'from', in: 'query', schema: { type: 'integer' } },
            { name: 'to', in: 'query', schema: { type: 'integer' } },
          ],
          responses: { '200': ok('RFC 6962 consistency proof'), ...errors },
        },
      },
      '/api/v1/policy': { get: { operationId: 'policy', summary: 'The bundle in force', responses: { '200': ok('Digest, files and documents'), ...errors } } },
      '/api/v1/usage/spend': {
        post: {
          operationId: 'recordSpend',
          summary: 'Feed money spent (e.g. model usage) into a budget (admin)',
          requestBody: { required: true, content: { 'application/json': { schema: json(spendBody) } } },
          responses: { '200': ok('Budget status'), ...errors },
        },
      },
    },
  };
}
