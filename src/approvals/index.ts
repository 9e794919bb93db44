export { ApprovalService, SYSTEM_ACTOR, type Approval, type ApprovalCall, type ApprovalRequestInput, type ApprovalServiceOptions, type TransitionEvent, type TransitionListener } from './service.ts';
export { APPROVAL_STATUSES, canTransition, isApprovalStatus, isTerminal, nextStatus, type ApprovalEvent, type ApprovalStatus } from './state.ts';
export { bindingDigest, canonicalBinding, digestsEqual, type ApprovalBinding } from './binding.ts';
export { formatDuration, MAX_DURATION_MS, parseDuration } from '../policy/duration.ts';
export {
  attachWebhooks,
  signWebhookPayload,
  verifyWebhookSignature,
  webhookPayload,
  WebhookNotifier,
  type VerifyWebhookInput,
  type VerifyWebhookResult,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookFormat,
  type WebhookNotifierOptions,
  type WebhookOutcome,
  type WebhookTarget,
} from './webhook.ts';
