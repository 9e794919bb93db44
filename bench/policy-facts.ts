/**
 * Attributes the peers' policy languages cannot compute themselves (regular expressions, string
 * lengths, list sizes, quantifiers over lists; for the Agent Governance Toolkit also prefixes,
 * suffixes and substrings). The host computes them per call, inside the timed decision, and
 * only for the tool being called, then hands them to the engine as `facts`. Each fact mirrors one
 * CEL sub-expression of bench/fixtures/policy-50-rules.yaml exactly.
 */
import type { BenchCall, Json } from './policy-calls.ts';

type Facts = Record<string, Json>;
const str = (v: Json | undefined): string => (typeof v === 'string' ? v : '');
const list = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);

const RELEASE_VERSION = /^release\/v[0-9]+\.[0-9]+$/;
const PROTECTED_BASE = /^(main|master|production|release\/.+)$/;
const SECRET_WORDS = /(password|api[_ -]?key|secret)/i;
const SLACK_USER = /^U[A-Z0-9]{8,10}$/;
const DESTRUCTIVE = /rm\s+-[a-zA-Z]*[rR][a-zA-Z]*f|mkfs|dd\s+if=|chmod\s+-R\s+777/;
const SECRET_DIR = /(^|\/)\.(env|ssh|aws)(\/|$)/;
const SAFE_COMMAND = /^(ls|cat|pwd|git (status|log|diff)|npm (test|run lint))( |$)/;
const PUBLISH_COMMAND = /^(git push|npm publish|docker push)/;
const CONFIG_FILE = /\/config\/.*\.(ya?ml|json|toml)$/;
const SSRF = /^https?:\/\/(localhost|127\.|10\.|192\.168\.|169\.254\.)/;
const INFRA_PATH = /^\/workspace\/(infra|deploy)\//;
const DESTROY_TOOL = /^(delete|drop|destroy)_/;

const sensitiveFile = (files: Json[]): boolean =>
  files.some((f) => {
    const p = str((f as Record<string, Json>).path);
    return p.startsWith('.github/') || p.endsWith('.pem') || p.endsWith('.key');
  });
const externalRecipient = (rs: Json[]): boolean => rs.some((r) => !str(r).endsWith('@acme.com'));

/** Facts the Cedar translation needs: 12 of the 50 rules (regex, lengths, sizes, quantifiers). */
export function cedarFacts(call: BenchCall): Facts {
  const a = call.args;
  switch (`${call.server}/${call.tool}`) {
    case 'github/create_issue': return { title_len: str(a.title).length };
    case 'github/create_pull_request': return { release_version_base: RELEASE_VERSION.test(str(a.base)) };
    case 'github/push_files': return { sensitive_file: sensitiveFile(list(a.files)), file_count: list(a.files).length };
    case 'github/add_issue_comment': return { body_len: str(a.body).length };
    case 'slack/post_message': return { mentions_secret: SECRET_WORDS.test(str(a.text)), text_len: str(a.text).length };
    case 'slack/send_dm': return { mentions_secret: SECRET_WORDS.test(str(a.text)), slack_user_id: SLACK_USER.test(str(a.user)) };
    case 'filesystem/write_file': return { content_len: str(a.content).length };
    case 'builtin/bash': return { destructive: DESTRUCTIVE.test(str(a.command)) };
    case 'stripe/send_invoice': return { external_recipient: externalRecipient(list(a.recipients)), recipient_count: list(a.recipients).length };
    default: return {};
  }
}

/** Facts the Agent Governance Toolkit translation needs: its conditions only compare a value with a literal. */
export function agtFacts(call: BenchCall): Facts {
  const a = call.args;
  const facts: Facts = { destroy_tool: DESTROY_TOOL.test(call.tool) };
  const inWorkspace = (p: string): boolean => p.startsWith('/workspace/');
  switch (`${call.server}/${call.tool}`) {
    case 'github/create_issue':
      facts.title_len = str(a.title).length;
      facts.sensitive_label = list(a.labels).some((l) => ['security', 'incident', 'legal'].includes(str(l)));
      break;
    case 'github/create_pull_request':
      facts.protected_base = PROTECTED_BASE.test(str(a.base));
      facts.release_version_base = RELEASE_VERSION.test(str(a.base));
      break;
    case 'github/create_or_update_file': facts.workflow_path = str(a.path).startsWith('.github/workflows/'); break;
    case 'github/push_files':
      facts.sensitive_file = sensitiveFile(list(a.files));
      facts.file_count = list(a.files).length;
      break;
    case 'github/add_issue_comment': facts.body_len = str(a.body).length; break;
    case 'slack/post_message':
      facts.channel_hash = str(a.channel).startsWith('#');
      facts.mentions_secret = SECRET_WORDS.test(str(a.text));
      facts.text_len = str(a.text).length;
      break;
    case 'slack/send_dm':
      facts.mentions_secret = SECRET_WORDS.test(str(a.text));
      facts.slack_user_id = SLACK_USER.test(str(a.user));
      break;
    case 'slack/invite_user': facts.acme_email = str(a.email).endsWith('@acme.com'); break;
    case 'slack/upload_file': facts.sheet_file = str(a.filename).endsWith('.csv') || str(a.filename).endsWith('.xlsx'); break;
    case 'filesystem/read_file': {
      const p = str(a.path);
      facts.in_workspace = inWorkspace(p);
      facts.secret_path = SECRET_DIR.test(p) || p.endsWith('.pem') || p.endsWith('.key');
      facts.traversal = p.includes('..');
      break;
    }
    case 'filesystem/list_directory':
    case 'filesystem/delete_file':
      facts.in_workspace = inWorkspace(str(a.path));
      facts.traversal = str(a.path).includes('..');
      break;
    case 'filesystem/write_file':
      facts.in_workspace = inWorkspace(str(a.path));
      facts.traversal = str(a.path).includes('..');
      facts.content_len = str(a.content).length;
      facts.infra_path = INFRA_PATH.test(str(a.path));
      break;
    case 'filesystem/move_file': facts.move_in_workspace = inWorkspace(str(a.source)) && inWorkspace(str(a.destination)); break;
    case 'builtin/bash': {
      const c = str(a.command);
      facts.safe_command = SAFE_COMMAND.test(c);
      facts.destructive = DESTRUCTIVE.test(c);
      facts.publish_command = PUBLISH_COMMAND.test(c);
      facts.pipe_to_shell = c.includes('curl') && c.includes('| sh');
      break;
    }
    case 'builtin/write':
    case 'builtin/edit': {
      const p = str(a.file_path);
      facts.edit_workspace = inWorkspace(p) && !p.includes('/.git/');
      facts.config_file = CONFIG_FILE.test(p);
      break;
    }
    case 'builtin/web_fetch':
      facts.https = str(a.url).startsWith('https://');
      facts.ssrf = SSRF.test(str(a.url));
      break;
    case 'stripe/create_payout': facts.acct_destination = str(a.destination).startsWith('acct_'); break;
    case 'stripe/send_invoice':
      facts.external_recipient = externalRecipient(list(a.recipients));
      facts.recipient_count = list(a.recipients).length;
      break;
  }
  return facts;
}
