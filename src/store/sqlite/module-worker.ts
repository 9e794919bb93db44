import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running the module `name` (without extension) that sits next to the
 * module at `baseUrl`: the compiled .js in a build, or the .ts source when run through tsx, in
 * which case the TypeScript loader is registered in the worker before the module loads.
 */
export function startModuleWorker(baseUrl: string, name: string, workerData: unknown): Worker {
  // a worker inherits the process's flags; --input-type (from `node -e` scripts) breaks loading a file
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
  if (baseUrl.endsWith('.ts')) {
    const source = new URL(`./${name}.ts`, baseUrl).href;
    return new Worker(
      `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(source)}); })`,
      { eval: true, workerData, execArgv },
    );
  }
  return new Worker(new URL(`./${name}.js`, baseUrl), { workerData, execArgv });
}
