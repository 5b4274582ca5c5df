import { bundleWorkflowCode } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAILURE_CONVERTER_PATH } from './adapters/temporal/data-converter';

/**
 * The workflow bundle, built once per version of the code and kept on disk. Bundling (webpack over workflows/,
 * src/domain/, luxon and zod) takes seconds, and a worker that bundles at every start is seconds late after every
 * crash or deploy — seconds in which customers wait. The bundle is keyed by a hash of everything that goes into it
 * (the workflow and domain sources and the locked dependency versions), so a changed file can never run stale code.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The workflow entry point, bundled for the deterministic sandbox. */
export const WORKFLOWS_PATH = path.join(ROOT, 'workflows', 'index.ts');
/** What a bundle is made of: a change to any of these makes a new bundle. */
const INPUTS = ['workflows', path.join('src', 'domain'), 'package-lock.json'];
const DEFAULT_CACHE = path.join(ROOT, 'node_modules', '.cache', 'booking-orchestrator');

/** Hash of the bundle's inputs, in a stable order. */
export function workflowSourceHash(root = ROOT): string {
  const hash = createHash('sha256');
  const visit = (relative: string) => {
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
 * The bundle for the code as it is now: read from the cache when it was built before, else built and stored
 * (written to a temporary name and renamed, so two workers starting at once never read half a file).
 */
export async function cachedWorkflowBundle(options: { cacheDir?: string } = {}): Promise<{ code: string; cached: boolean }> {
  const dir = options.cacheDir ?? DEFAULT_CACHE;
  const file = path.join(dir, `workflow-bundle-${workflowSourceHash()}.js`);
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (existing) return { code: existing, cached: true };
  const { code } = await bundleWorkflows();
  try {
    fs.mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, code);
    fs.renameSync(temporary, file);
  } catch {
    // A read-only install still works: it just bundles at every start.
  }
  return { code, cached: false };
}

/**
 * Bundles the workflows now (about 3 s), with the product's failure converter (workflows/failure-converter.cjs, so
 * inside the hashed inputs): workflow code turns its own failures into history events, and their messages must be
 * encrypted there too.
 */
export async function bundleWorkflows(): Promise<{ code: string }> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, failureConverterPath: FAILURE_CONVERTER_PATH, logger: quietBundlerLogger });
  return { code };
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
