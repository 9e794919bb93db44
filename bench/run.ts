// Runs the benchmarks one after another, each in its own process so one cannot warm or slow the next.
// Run: npm run bench [-- NAME...]   NAME: machine-tail, policy, cel-engines, detect, detect-accuracy, ledger, governor
//      (default: all of them; the ledger at 1,000,000 entries takes several minutes)
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BENCHMARKS = ["machine-tail", "policy", "cel-engines", "detect", "detect-accuracy", "ledger", "governor"] as const;

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark: ${unknown.join(", ")}; choose from ${BENCHMARKS.join(", ")}\n`);
  process.exit(2);
}

const selected = requested.length > 0 ? requested : [...BENCHMARKS];
let failed = 0;
for (const [position, name] of selected.entries()) {
  process.stderr.write(`\n[${position + 1}/${selected.length}] bench/${name}.ts\n`);
  const script = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const result = spawnSync(process.execPath, ["--import", "tsx", script], { stdio: "inherit" });
  if (result.status !== 0) {
    failed += 1;
    process.stderr.write(`bench/${name}.ts exited with ${result.status ?? result.signal}\n`);
  }
}
process.exit(failed === 0 ? 0 : 3);
