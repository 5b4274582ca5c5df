/**
 * `npm run worker`: runs src/cli/worker.ts from a compiled copy, built once per version of the code.
 *
 * Why: a worker restarted after a crash or a deploy is useful only once it polls, and customers wait until then.
 * Under tsx every start compiles nothing (tsx caches) but still sends each of ~90 modules through loader hooks on
 * another thread: measured on this 2-core machine at load average 14, spawn to polling took 4.9–7.0 s under tsx and
 * 3.2–4.4 s from the compiled copy. The copy is one esbuild bundle of the worker's own code (packages stay in
 * node_modules), kept under node_modules/.cache keyed by a hash of everything it is made of, so a changed file can
 * never run stale code, as with the workflow bundle (src/workflow-bundle.ts).
 *
 * Plain JavaScript on purpose: this file must start without tsx. Whenever the copy cannot be built or stored (no
 * esbuild, a read-only install), the worker starts under tsx as before — slower, never different.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = path.join(ROOT, 'src', 'cli', 'worker.ts');
/** What the compiled worker is made of: a change to any of these makes a new copy. */
const INPUTS = ['src', 'activities', 'workflows', 'package-lock.json', 'tsconfig.json'];
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'booking-orchestrator');

/** Hash of the compiled worker's inputs, in a stable order. */
export function workerSourceHash(root = ROOT) {
  // The copy holds absolute paths of its sources (see keepSourceLocations): two checkouts never share one.
  const hash = createHash('sha256').update(path.resolve(root)).update('\0');
  const visit = (relative) => {
    const full = path.join(root, relative);
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) visit(path.join(relative, name));
      return;
    }
    hash.update(relative).update('\0').update(fs.readFileSync(full)).update('\0');
  };
  for (const input of INPUTS) visit(input);
  return hash.digest('hex').slice(0, 16);
}

/**
 * The compiled worker's entry file, built now if this version of the code has none yet (into a temporary folder
 * renamed into place, so two workers starting at once never run half a build).
 */
export async function compiledWorker(options = {}) {
  const dir = path.join(options.cacheDir ?? CACHE, `worker-${workerSourceHash()}`);
  const entry = path.join(dir, 'worker.js');
  if (fs.existsSync(entry)) return { entry, cached: true };
  const temporary = `${dir}.${process.pid}.tmp`;
  const { build } = await import('esbuild');
  const buildOptions = {
    entryPoints: { worker: ENTRY },
    outdir: temporary,
    bundle: true,
    // The dynamic imports of vendor adapters (twilio, openai, googleapis…) stay lazy: separate chunks.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
    // For NODE_OPTIONS=--enable-source-maps when a stack trace should name the TypeScript sources.
    sourcemap: true,
    plugins: [keepSourceLocations],
  };
  try {
    await build(buildOptions);
  } catch (error) {
    fs.rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  try {
    fs.renameSync(temporary, dir);
  } catch (error) {
    fs.rmSync(temporary, { recursive: true, force: true });
    // Another worker finished the same build first: use theirs.
    if (!fs.existsSync(entry)) throw error;
  }
  return { entry, cached: false };
}

/**
 * Modules that find files next to themselves (migrations, the failure converter, the workflow sources) do it through
 * import.meta.url; inside the bundle that would be the bundle's own address, so each module keeps its source's.
 */
const keepSourceLocations = {
  name: 'keep-source-locations',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: fs.readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

async function main() {
  let entry;
  try {
    entry = (await compiledWorker()).entry;
  } catch (error) {
    if (process.env.LOG_LEVEL === 'debug') console.error(`worker: no compiled copy (${error.message}); starting under tsx`);
  }
  if (entry) {
    await import(pathToFileURL(entry).href);
    return;
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(ENTRY).href);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
