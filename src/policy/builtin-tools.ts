/**
 * The agent runtime's own tools (Claude Managed Agents' toolset and the Claude Agent SDK's
 * built-ins), in the normalised snake_case form adapters use for server "builtin".
 */
export const BUILTIN_TOOLS = [
  'bash',
  'read',
  'write',
  'edit',
  'multi_edit',
  'glob',
  'grep',
  'ls',
  'web_fetch',
  'web_search',
  'notebook_edit',
  'notebook_read',
  'todo_write',
  'task',
  'kill_shell',
  'bash_output',
] as const;

/** WebFetch → web_fetch, MultiEdit → multi_edit, bash → bash. */
export function normaliseBuiltinTool(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();
}
