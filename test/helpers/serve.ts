import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mainTs, tsxLoader } from './cli.ts';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  db: string;
  adminKeyFile?: string;
  stderr: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `gatehouse serve --port 0 --json` and resolves once it listens. */
export function startServe(configFile: string, env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, mainTs, 'serve', '--config', configFile, '--port', '0', '--json'], {
      env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start: ${stderr}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${stderr}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const info = JSON.parse(line) as { url: string; db: string; adminKeyFile?: string };
      child.removeAllListeners('exit');
      resolve({
        child,
        ...info,
        stderr: () => stderr,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done(child.exitCode);
            child.once('exit', (code) => done(code));
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
