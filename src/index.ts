/** Gatehouse's public API. Anything not exported here is internal and may change. */
export { GatehouseError, EXIT, exitCodeFor, type ErrorCode, type ErrorDetail } from './errors.ts';

// The SDK: govern(tool, input) from any agent loop, in-process or against `gatehouse serve`.
export {
  createGatehouse,
  GatehouseHarness,
  GovernanceDenied,
  GovernanceEscalated,
  RemoteClient,
  parseToolName,
  type CreateGatehouseOptions,
  type DecisionClient,
  type Gatehouse,
  type GovernContext,
  type HarnessOptions,
  type RemoteClientOptions,
} from './enforce/sdk/index.ts';
export { claudeAgentSdkGovernance, type ClaudeAgentSdkGovernance, type ClaudeAgentSdkOptions } from './enforce/claude-agent-sdk/index.ts';

// The decision pipeline and what it exchanges with enforcement points.
export { Governor, type GovernorOptions } from './govern/governor.ts';
export type { AfterCallResult, CallContext, Decision, EnforcementPoint, ToolDefinition } from './govern/types.ts';
export { openRuntime, type Runtime, type RuntimeOptions } from './runtime/runtime.ts';
export { loadConfig, type LoadedConfig } from './config/load.ts';
export type { GatehouseConfig } from './config/schema.ts';

// Pure cores: policy, detectors.
export {
  compilePolicies,
  compilePoliciesOrThrow,
  evaluatePolicy,
  evaluateResult,
  policyJsonSchema,
  type PolicyBundle,
  type PolicyDecision,
  type PolicyRequest,
  type PolicySource,
  type RuleRef,
} from './policy/index.ts';
export { detectAll, applyGuardrails, decryptRedaction, type Finding, type Surface } from './detect/index.ts';

// The ledger.
export { openLedger, type Ledger } from './ledger/service/ledger.ts';
export { verifyBundle } from './ledger/bundle.ts';
