import { normaliseBuiltinTool } from '../../policy/index.ts';

/**
 * `mcp__github__create_issue` → server github, tool create_issue (the Claude Agent SDK's naming);
 * `Bash` / `WebFetch` / `bash` → server builtin, tool bash / web_fetch.
 */
export function parseToolName(name: string): { server: string; tool: string } {
  // Not a string (a caller's bug, or a malformed hook input): passed on as is, so the Governor
  // records it as an invalid call ("tool must be …") instead of a TypeError escaping here.
  if (typeof name !== 'string') return { server: 'builtin', tool: name };
  const m = /^mcp__(.+?)__(.+)$/.exec(name);
  if (m) return { server: m[1]!, tool: m[2]! };
  return { server: 'builtin', tool: normaliseBuiltinTool(name) };
}
