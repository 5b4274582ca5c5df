import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The deterministic zone stays deterministic: workflows/ and src/domain/ import no Node built-ins, no vendor or SDK
 * clients and no adapters, gateway or activities (workflows may import activity *types*). The workflow bundle would
 * often still build with such an import — and then fail at run time, or worse, replay differently — so this is
 * checked on the sources, the way a lint rule would.
 */
const ROOT = path.resolve(__dirname, '../..');
const ZONES = ['workflows', path.join('src', 'domain')];
const FORBIDDEN_PACKAGES = ['openai', 'twilio', 'googleapis', 'pg', 'pino', 'hono', '@hono/', '@electric-sql/', 'postgrator', '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing'];
const FORBIDDEN_DIRS = ['src/adapters', 'src/gateway', 'src/cli', 'activities'];

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

/** Every import of a file: specifier and whether it is type-only (erased before bundling). */
function importsOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const found: { specifier: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)) found.push({ specifier: m[3]!, typeOnly: Boolean(m[2]) });
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push({ specifier: m[1]!, typeOnly: false });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ specifier: m[1]!, typeOnly: false });
  return found;
}

function violation(file: string, specifier: string, typeOnly: boolean): string | null {
  const bare = specifier.replace(/^node:/, '');
  if (specifier.startsWith('node:') || builtinModules.includes(bare.split('/')[0]!)) return 'a Node built-in';
  if (FORBIDDEN_PACKAGES.some((p) => specifier === p || (p.endsWith('/') && specifier.startsWith(p)))) return 'a vendor or SDK client';
  if (specifier.startsWith('.')) {
    const target = path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier));
    const dir = FORBIDDEN_DIRS.find((d) => target === d || target.startsWith(`${d}${path.sep}`));
    if (dir && !(typeOnly && dir === 'activities')) return `${dir}/ (side effects live there)`;
  }
  return null;
}

describe('layers', () => {
  it('keeps Node built-ins, SDK clients and adapters out of workflows/ and src/domain/', () => {
    const problems: string[] = [];
    for (const zone of ZONES) {
      for (const file of sources(zone)) {
        for (const { specifier, typeOnly } of importsOf(file)) {
          const why = violation(file, specifier, typeOnly);
          if (why) problems.push(`${file} imports "${specifier}": ${why}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('lets the gateway and the adapters meet only at the composition root: neither imports the other', () => {
    const crossing = (from: string, to: string) =>
      sources(from).flatMap((file) =>
        importsOf(file)
          .filter(({ specifier }) => specifier.startsWith('.') && path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier)).startsWith(`${to}${path.sep}`))
          .map(({ specifier }) => `${file} imports "${specifier}"`),
      );
    // The gateway declares its ports (src/gateway/ports.ts); adapters fit them by shape; src/composition.ts connects them.
    expect(crossing(path.join('src', 'gateway'), path.join('src', 'adapters'))).toEqual([]);
    expect(crossing(path.join('src', 'adapters'), path.join('src', 'gateway'))).toEqual([]);
  });

  it('would catch one: the check is not vacuous', () => {
    expect(violation('workflows/x.ts', 'node:crypto', false)).toMatch(/built-in/);
    expect(violation('workflows/x.ts', 'fs', false)).toMatch(/built-in/);
    expect(violation('src/domain/x.ts', '../adapters/ledger', false)).toMatch(/adapters/);
    expect(violation('workflows/x.ts', '../activities', true)).toBeNull();
    expect(violation('workflows/x.ts', '../activities', false)).toMatch(/activities/);
    expect(violation('workflows/x.ts', '@temporalio/client', false)).toMatch(/client/);
    expect(violation('workflows/x.ts', '@temporalio/workflow', false)).toBeNull();
    expect(importsOf('workflows/conversation-run.ts').length).toBeGreaterThan(5);
  });
});
