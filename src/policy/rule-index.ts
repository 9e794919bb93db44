import type { Action, Candidate, CompiledToolPolicy, IndexedRule, RuleRef, ToolRuleLookup } from './types.ts';

/**
 * Tool names are chosen by agents, so an agent inventing names must not grow memory: at most
 * this many names, each at most MAX_NAME_LENGTH characters, are remembered per policy. Past
 * that, the rules are scanned on every call, as before there was an index.
 */
const MAX_NAMES = 1024;
const MAX_NAME_LENGTH = 256;

/**
 * Which rules of one ToolPolicy name a tool, in the policy's order. This is a pure function of
 * the compiled policy and the tool name, so it is remembered per name: otherwise every decision
 * tests every rule's globs again (a RegExp for each wildcard glob).
 */
export class ToolRuleIndex implements ToolRuleLookup {
  readonly defaultCandidate: Candidate;
  private readonly all: readonly IndexedRule[];
  private readonly byTool = new Map<string, readonly IndexedRule[]>();

  constructor(policy: Omit<CompiledToolPolicy, 'index'>) {
    this.all = policy.rules.map((rule) => ({
      rule,
      matched: { action: rule.action, ref: rule.ref, rule, reason: rule.reason ?? describe(rule.action, rule.ref) },
    }));
    this.defaultCandidate = {
      action: policy.defaultAction,
      ref: policy.defaultRef,
      reason: `no rule of ${policy.name} matched; its defaultAction is ${policy.defaultAction}`,
    };
  }

  /** How many tool names are remembered (for tests of the bound). */
  get remembered(): number {
    return this.byTool.size;
  }

  rulesFor(tool: string): readonly IndexedRule[] {
    const known = this.byTool.get(tool);
    if (known !== undefined) return known;
    const found = this.all.filter((r) => r.rule.tools.some((glob) => glob.test(tool)));
    if (this.byTool.size < MAX_NAMES && tool.length <= MAX_NAME_LENGTH) this.byTool.set(tool, found);
    return found;
  }
}

function describe(action: Action, ref: RuleRef): string {
  const what = action === 'allow' ? 'allows' : action === 'deny' ? 'denies' : 'requires approval for';
  return `rule "${ref.rule}" of ${ref.policy} ${what} this call`;
}
