import type { Finding, TextOptions } from './types.ts';
import { codeOnly, lexShell, MAX_WORDS, type SimpleCommand, type Word } from './shell-lex.ts';
import { scanSql, SQL_START, type FindingAdder } from './sql.ts';
import { excerpt } from './util.ts';
import { WORD_SEPARATOR, type TextFacts } from './text-facts.ts';
import { NeedleGroups } from './needles.ts';


const WRAPPERS = new Set(['sudo', 'doas', 'env', 'nohup', 'time', 'nice', 'ionice', 'exec', 'command', 'builtin', 'xargs', 'busybox', 'timeout', 'stdbuf']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'ash']);
const INTERPRETERS = new Set([...SHELLS, 'python', 'python3', 'perl', 'ruby', 'node', 'php', 'pwsh', 'powershell', 'iex']);
const FETCHERS = new Set(['curl', 'wget', 'fetch', 'iwr', 'invoke-webrequest']);
const SQL_CLIENTS = new Set(['psql', 'mysql', 'mariadb', 'sqlite3', 'sqlcmd', 'clickhouse-client', 'cockroach', 'duckdb', 'snowsql', 'bq']);
const READERS = new Set(['cat', 'less', 'more', 'head', 'tail', 'cp', 'scp', 'rsync', 'base64', 'xxd', 'od', 'strings', 'tar', 'zip', 'gpg', 'nc', 'ncat', 'curl', 'wget', 'type', 'get-content', 'gc', 'openssl', 'grep', 'awk', 'sed', 'mv', 'ln']);

const IMPORTANT_PATH =
  /^(?:\/\*?|~\/?\*?|\$\{?HOME\}?\/?\*?|\.\/?\*?|\.\.\/?|\*|\.\*|[A-Za-z]:[\\/]?\*?|\/(?:etc|usr|var|bin|sbin|lib|lib64|boot|home|root|opt|srv|sys|proc|dev|System|Users|Applications|Library|var\/lib|usr\/local)\/?\*?)$/;
const DISPOSABLE = /(?:^|\/)(?:node_modules|dist|build|out|target|\.cache|\.next|coverage|__pycache__|\.pytest_cache|tmp|temp)\/?$|^\/tmp\//;
const DISK = /^\/dev\/(?:sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|disk\d|md\d|dm-\d|mapper\/)/;
export const CREDENTIAL_PATH =
  /(?:^|[/\\])\.ssh[/\\](?:id_[a-z0-9_]+(?![a-z0-9_]|\.pub)|authorized_keys|[\w.-]+\.pem)|\.aws[/\\](?:credentials|config)|(?:^|[/\\])\.netrc$|\.git-credentials|\.docker[/\\]config\.json|\.kube[/\\]config|^\/etc\/(?:shadow|gshadow|sudoers|master\.passwd)$|(?:^|[/\\])\.env(?:\.(?!example|sample|template|dist)[\w-]+)?$|(?:^|[/\\])\.(?:npmrc|pypirc|pgpass)$|gcloud[/\\](?:credentials\.db|application_default_credentials\.json|access_tokens\.db)|\.config[/\\]gh[/\\]hosts\.yml|(?:^|[/\\])id_(?:rsa|dsa|ecdsa|ed25519)$|\.azure[/\\](?:accessTokens\.json|msal_token_cache)/;
const PROTECTED_BRANCH = /^(?:main|master|trunk|develop|dev|prod|production|release(?:[/-].*)?|stable|live|HEAD)$/;
const FORK_BOMB = /([\w:]{1,20})\s*\(\)\s*\{\s*\1\s*\|\s*\1\s*&\s*\}\s*;?\s*\1/g;

/** Every command name analyzeCommand acts on (mkfs.* aside). Keep in step with it. */
const ACTED_ON = [
  ...INTERPRETERS, ...SQL_CLIENTS, ...READERS, 'su', 'eval', 'ssh', 'rm', 'rmdir', 'del', 'remove-item', 'rd', 'find', 'dd',
  'wipefs', 'shred', 'fdisk', 'sfdisk', 'parted', 'sgdisk', 'chmod', 'chown', 'git', 'terraform', 'tofu', 'pulumi', 'kubectl',
  'oc', 'helm', 'aws', 'gcloud', 'az', 'gsutil', 'heroku', 'doctl', 'flyctl', 'fly', 'docker', 'podman', 'mkfs', 'format',
];
export const COMMAND_WORD = new RegExp(`(?<![a-z0-9_])(?:(?:${[...new Set(ACTED_ON)].join('|')})(?![a-z0-9_])|mkfs\\.)`);
// Quotes and backslashes can build a word from pieces ("r'm'"), redirects act without a command name.
const SHELL_QUOTING = /[\\'"<>]/;

/**
 * A prefilter for COMMAND_WORD in textFacts' pass: every command name as a needle between separators,
 * where any char but [A-Za-z0-9_] (and either end of the text) reads as the separator. A COMMAND_WORD
 * match is such an occurrence ('-' inside a name and the '.' after "mkfs" are separators too; "mkfs"
 * is a name), so without one COMMAND_WORD cannot match.
 */
const SEPARATOR = String.fromCharCode(WORD_SEPARATOR);
export const COMMAND_WORDS = new NeedleGroups(
  [[...new Set(ACTED_ON)].map((name) => SEPARATOR + name.replace(/[-.]/g, SEPARATOR) + SEPARATOR)],
  (c) => ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 ? c : c >= 65 && c <= 90 ? c + 32 : WORD_SEPARATOR),
);



/**
 * Cheap test that lexing `src` could lead to a finding. Without quotes or backslashes every word is
 * a contiguous slice of `src`, so a command name analyzeCommand acts on must appear as a whole
 * token in the lower-cased text; a command truncated at MAX_WORDS needs more than 2 × MAX_WORDS chars.
 */
function mayAct(src: string, quoting = SHELL_QUOTING.test(src), commandWord?: boolean): boolean {
  return src.length >= 2 * MAX_WORDS || quoting || (commandWord !== false && COMMAND_WORD.test(src.toLowerCase()));
}

export interface DestructiveOptions extends TextOptions {
  /** 'shell', 'sql', or 'auto' (default): SQL when the text starts like a SQL statement. */
  language?: 'auto' | 'shell' | 'sql';
}

/** Finds destructive or dangerous actions in a command or query. Quoted or echoed text is not an action. */
export function detectDestructive(text: string, opts: DestructiveOptions = {}): Finding[] {
  return destructiveWithFacts(text, opts, undefined);
}

/** detectDestructive with the string's facts already computed (detectAll shares them between detectors). */
export function destructiveWithFacts(text: string, opts: DestructiveOptions, facts: TextFacts | undefined): Finding[] {
  const path = opts.path ?? '$';
  const sink = new DestructiveSink(text, path);
  const out = sink.out;
  const lang = opts.language ?? 'auto';
  if (lang === 'sql' || (lang === 'auto' && SQL_START.test(text))) {
    scanSql(text, 0, sink);
    return out;
  }
  const commandWord = facts?.words?.groups === COMMAND_WORDS ? facts.words.present !== 0 : undefined;
  analyzeShell(text, 0, sink, 0, facts?.quoting, commandWord);
  return out;
}

class DestructiveSink implements FindingAdder {
  readonly out: Finding[] = [];
  private readonly text: string;
  private readonly path: string;
  constructor(text: string, path: string) {
    this.text = text;
    this.path = path;
  }

  add(type: string, start: number, end: number, confidence: number): void {
    this.out.push({ detector: 'destructive', type, path: this.path, start, end, confidence, evidence: excerpt(this.text, start, end) });
  }
}

/**
 * `quoting`: whether `src` has a char of SHELL_QUOTING; `commandWord`: false when COMMAND_WORDS
 * shows that COMMAND_WORD cannot match; each when the caller knows.
 */
function analyzeShell(src: string, offset: number, sink: FindingAdder, depth: number, quoting?: boolean, commandWord?: boolean): void {
  if (depth > 4) return;
  // codeOnly keeps every '(' and ')' in place, so a fork bomb's "()" is in src too
  if (src.includes('()')) {
    for (const m of codeOnly(src).matchAll(FORK_BOMB)) sink.add('fork_bomb', offset + m.index, offset + m.index + m[0].length, 0.95);
  }
  if (!mayAct(src, quoting, commandWord)) return;
  const cmds = lexShell(src, offset);
  for (let i = 0; i < cmds.length; i++) analyzeCommand(cmds[i]!, cmds[i - 1], sink, depth);
}

function base(word: string): string {
  const s = word.slice(word.lastIndexOf('/') + 1).toLowerCase();
  return s.endsWith('.exe') ? s.slice(0, -4) : s;
}

function stripWrappers(words: Word[]): Word[] {
  let i = 0;
  while (i < words.length) {
    const w = words[i]!.text;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++;
    else if (WRAPPERS.has(base(w))) {
      i++;
      while (i < words.length && words[i]!.text.startsWith('-')) i += /^-[ugCcnt]$/.test(words[i]!.text) ? 2 : 1;
      if (base(words[i - 1]?.text ?? '') === 'timeout' && /^\d/.test(words[i]?.text ?? '')) i++;
    } else break;
  }
  return words.slice(i);
}

interface Flags {
  short: Set<string>;
  long: Set<string>;
  args: Word[];
}
function parseFlags(words: Word[]): Flags {
  const f: Flags = { short: new Set(), long: new Set(), args: [] };
  let done = false;
  for (const w of words) {
    if (done || w.quoted || !w.text.startsWith('-') || w.text === '-') f.args.push(w);
    else if (w.text === '--') done = true;
    else if (w.text.startsWith('--')) f.long.add(w.text.slice(2).split('=')[0]!);
    else for (const ch of w.text.slice(1)) f.short.add(ch);
  }
  return f;
}

function analyzeCommand(c: SimpleCommand, prev: SimpleCommand | undefined, sink: FindingAdder, depth: number): void {
  const words = stripWrappers(c.words);
  const head = words[0];
  const span = (ws: Word[]): [number, number] => [ws[0]?.start ?? c.words[0]?.start ?? 0, ws[ws.length - 1]?.end ?? 0];
  for (const r of c.redirects) {
    if (/>/.test(r.op) && DISK.test(r.target.text)) sink.add('disk_write', r.target.start, r.target.end, 0.95);
    if (r.op === '<' && CREDENTIAL_PATH.test(r.target.text)) sink.add('credential_read', r.target.start, r.target.end, 0.8);
  }
  if (!head) return;
  // Fail closed: a command too long to analyse is reported rather than passed as harmless.
  if (c.truncated) sink.add('unanalyzable_command', head.start, head.end, 0.5);
  const name = base(head.text);
  const rest = words.slice(1);
  const f = parseFlags(rest);
  const [s, e] = span(words);

  if (SHELLS.has(name) || name === 'su') {
    const ci = rest.findIndex((w) => w.text === '-c' || (/^-[a-z]*c$/.test(w.text) && !w.quoted));
    const arg = ci >= 0 ? rest[ci + 1] : undefined;
    if (arg) {
      if (/\$\(\s*(?:curl|wget)\b|`\s*(?:curl|wget)\b/.test(arg.text)) sink.add('pipe_to_shell', s, e, 0.9);
      analyzeShell(arg.text, arg.start, sink, depth + 1);
    }
    if (rest.some((w) => /^<\(\s*(?:curl|wget)\b/.test(w.text))) sink.add('pipe_to_shell', s, e, 0.9);
  }
  if (name === 'eval' && rest.length > 0) analyzeShell(rest.map((w) => w.text).join(' '), rest[0]!.start, sink, depth + 1);
  if (name === 'ssh' && f.args.length > 1) analyzeShell(f.args.slice(1).map((w) => w.text).join(' '), f.args[1]!.start, sink, depth + 1);

  if (prev?.pipedToNext && INTERPRETERS.has(name) && !rest.some((w) => w.text === '-c' || /\.\w+$/.test(w.text))) {
    const from = stripWrappers(prev.words);
    const prevName = base(from[0]?.text ?? '');
    if (FETCHERS.has(prevName)) sink.add('pipe_to_shell', from[0]!.start, e, 0.9);
    else if ((prevName === 'echo' || prevName === 'printf') && SHELLS.has(name) && from.length > 1) {
      analyzeShell(from.slice(1).map((w) => w.text).join(' '), from[1]!.start, sink, depth + 1);
    } else if (prevName === 'base64' || prevName === 'xxd') sink.add('pipe_to_shell', from[0]!.start, e, 0.7);
  }

  switch (name) {
    case 'rm':
    case 'rmdir':
    case 'del':
    case 'remove-item':
    case 'rd': {
      const recursive = f.short.has('r') || f.short.has('R') || f.long.has('recursive') || /^(?:rd|rmdir)$/.test(name) && f.short.has('s');
      if (f.long.has('no-preserve-root')) sink.add('rm_rf', s, e, 1);
      else if (recursive && f.args.some((w) => IMPORTANT_PATH.test(w.text))) sink.add('rm_rf', s, e, 0.95);
      else if (recursive && f.args.some((w) => /(?:^|\/)\.git\/?$/.test(w.text))) sink.add('rm_rf', s, e, 0.7);
      else if (recursive && f.args.length > 0 && !f.args.every((w) => DISPOSABLE.test(w.text))) sink.add('rm_recursive', s, e, 0.3);
      break;
    }
    case 'find':
      if ((f.long.has('delete') || rest.some((w) => w.text === '-delete') || rest.some((w, i) => w.text === '-exec' && base(rest[i + 1]?.text ?? '') === 'rm')) && IMPORTANT_PATH.test(rest[0]?.text ?? '')) sink.add('rm_rf', s, e, 0.85);
      break;
    case 'dd':
      if (rest.some((w) => w.text.startsWith('of=') && DISK.test(w.text.slice(3)))) sink.add('disk_write', s, e, 0.95);
      break;
    case 'wipefs':
    case 'shred':
    case 'fdisk':
    case 'sfdisk':
    case 'parted':
    case 'sgdisk':
      if (f.args.some((w) => DISK.test(w.text))) sink.add('disk_write', s, e, name === 'fdisk' || name === 'parted' ? 0.6 : 0.95);
      break;
    case 'chmod':
    case 'chown':
      if ((f.short.has('R') || f.long.has('recursive')) && f.args.some((w) => IMPORTANT_PATH.test(w.text))) sink.add('dangerous_permissions', s, e, 0.85);
      break;
    case 'git':
      analyzeGit(f, s, e, sink);
      break;
    case 'terraform':
    case 'tofu':
    case 'pulumi':
      if (f.args[0]?.text === 'destroy' || (f.args[0]?.text === 'apply' && (f.short.has('d') || f.long.has('destroy') || rest.some((w) => w.text === '-destroy')))) sink.add('infra_destroy', s, e, 0.9);
      break;
    case 'kubectl':
    case 'oc':
      if (f.args[0]?.text === 'delete') {
        const wide = f.long.has('all') || f.short.has('A') || f.long.has('all-namespaces') || /^(?:ns|namespaces?|nodes?|pv|persistentvolumes?|crd|customresourcedefinitions?)$/.test(f.args[1]?.text ?? '');
        sink.add('k8s_delete', s, e, wide ? 0.85 : 0.5);
      }
      break;
    case 'helm':
      if (/^(?:uninstall|delete|del|un)$/.test(f.args[0]?.text ?? '')) sink.add('k8s_delete', s, e, 0.6);
      break;
    case 'aws':
    case 'gcloud':
    case 'az':
    case 'gsutil':
    case 'heroku':
    case 'doctl':
    case 'flyctl':
    case 'fly':
      analyzeCloud(name, f, s, e, sink);
      break;
    case 'docker':
    case 'podman':
      if (/^(?:system|volume|image|container)$/.test(f.args[0]?.text ?? '') && f.args[1]?.text === 'prune' && (f.short.has('a') || f.long.has('all') || f.args[0]!.text === 'volume' || f.long.has('volumes'))) sink.add('container_prune', s, e, 0.6);
      break;
    case 'mkfs':
    case 'format':
      sink.add('disk_write', s, e, 0.9);
      break;
    default:
      if (name.startsWith('mkfs.')) sink.add('disk_write', s, e, 0.95);
  }
  if (SQL_CLIENTS.has(name)) {
    for (let i = 0; i < rest.length; i++) {
      const w = rest[i]!;
      const inline = /^(?:-c|-e|--command|--execute|-Q|--query)$/.test(w.text) ? rest[i + 1] : /^--(?:command|execute|query)=/.test(w.text) ? { ...w, text: w.text.slice(w.text.indexOf('=') + 1) } : undefined;
      if (inline) scanSql(inline.text, inline.start, sink);
    }
    if (f.args.length > 0 && name === 'sqlite3' && f.args[1]) scanSql(f.args[1].text, f.args[1].start, sink);
  }
  if (READERS.has(name) && (f.args.some((w) => CREDENTIAL_PATH.test(w.text.replace(/^@/, ''))) || rest.some((w) => /(?:^|=)@/.test(w.text) && CREDENTIAL_PATH.test(w.text.replace(/^.*@/, ''))))) {
    sink.add('credential_read', s, e, c.pipedToNext || FETCHERS.has(name) || name === 'nc' || name === 'scp' ? 0.9 : 0.8);
  }
}

function analyzeGit(f: Flags, s: number, e: number, sink: FindingAdder): void {
  const sub = f.args[0]?.text;
  const refs = f.args.slice(1).map((w) => w.text);
  if (sub === 'push') {
    const force = f.short.has('f') || f.long.has('force') || f.long.has('force-with-lease') || f.long.has('mirror') || refs.some((r) => r.startsWith('+'));
    const branches = refs.slice(1).map((r) => r.replace(/^\+/, '').split(':').pop()!);
    const protectedTarget = branches.length === 0 || branches.some((b) => PROTECTED_BRANCH.test(b.replace(/^refs\/heads\//, '')));
    if (f.long.has('delete') || f.short.has('d') || refs.slice(1).some((r) => r.startsWith(':'))) {
      sink.add('git_delete_branch', s, e, protectedTarget ? 0.85 : 0.4);
    } else if (force) {
      const lease = f.long.has('force-with-lease') && !f.long.has('force') && !f.short.has('f');
      sink.add('git_force_push', s, e, protectedTarget ? (lease ? 0.7 : 0.9) : lease ? 0.3 : 0.5);
    }
  } else if (sub === 'reset' && f.long.has('hard')) sink.add('git_reset_hard', s, e, 0.4);
  else if (sub === 'clean' && f.short.has('f') && (f.short.has('x') || f.short.has('d'))) sink.add('git_clean', s, e, 0.4);
  else if (sub === 'filter-branch' || sub === 'filter-repo') sink.add('git_history_rewrite', s, e, 0.5);
}

function analyzeCloud(name: string, f: Flags, s: number, e: number, sink: FindingAdder): void {
  const a = f.args.map((w) => w.text.toLowerCase());
  if (name === 'aws') {
    if (a[0] === 's3' && a[1] === 'rb') sink.add('cloud_delete', s, e, f.long.has('force') ? 0.9 : 0.7);
    else if (a[0] === 's3' && a[1] === 'rm' && f.long.has('recursive')) sink.add('cloud_delete', s, e, 0.85);
    else if (a[1] && /^(?:delete|terminate|remove|deregister|purge|destroy)-/.test(a[1])) sink.add('cloud_delete', s, e, 0.7);
  } else if (name === 'gsutil') {
    if (a[0] === 'rb' || (a[0] === 'rm' && (f.short.has('r') || f.short.has('R')))) sink.add('cloud_delete', s, e, 0.85);
  } else if (name === 'heroku') {
    if (a[0] === 'apps:destroy' || a[0] === 'pg:reset') sink.add('cloud_delete', s, e, 0.9);
  } else if (a.includes('delete') || a.includes('destroy')) {
    const big = (name === 'az' && a[0] === 'group') || (name === 'gcloud' && a[0] === 'projects');
    sink.add('cloud_delete', s, e, big ? 0.9 : 0.7);
  }
}
