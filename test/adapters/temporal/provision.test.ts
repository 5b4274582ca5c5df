import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';

/**
 * Provisioning runs in a child process so each case sees a fresh memo and its own environment (cache, PATH,
 * explicit paths), the way a fresh clone or CI machine would.
 */
function provisionIn(env: Record<string, string>, program: 'cli' | 'test-server') {
  const tsx = path.resolve('node_modules/tsx/dist/cli.mjs');
  const out = execFileSync(process.execPath, [tsx, 'test/support/provision-probe.ts', program], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

describe('Temporal program provisioning', () => {
  it('uses an explicitly configured, verified executable first', () => {
    const cli = inject('temporalCliPath');
    const result = provisionIn({ TEMPORAL_CLI_PATH: cli }, 'cli');
    expect(result).toEqual({ kind: 'path', path: cli, source: '$TEMPORAL_CLI_PATH' });
  });

  it('verifies the time-skipping server by really starting it', () => {
    const server = inject('testServerPath');
    expect(provisionIn({ TEMPORAL_TEST_SERVER_PATH: server }, 'test-server')).toMatchObject({ kind: 'path', path: server });
  });

  it('skips a broken candidate and reuses the per-user cache shared by every clone', () => {
    const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'xdg-'));
    const cached = path.join(cacheHome, 'booking-orchestrator', 'temporal');
    fs.mkdirSync(cached, { recursive: true });
    fs.copyFileSync(inject('temporalCliPath'), path.join(cached, 'temporal'));
    fs.chmodSync(path.join(cached, 'temporal'), 0o755);
    const broken = path.join(cacheHome, 'not-temporal');
    fs.writeFileSync(broken, '#!/bin/sh\necho hello\n', { mode: 0o755 });
    const result = provisionIn({ XDG_CACHE_HOME: cacheHome, TEMPORAL_CLI_PATH: broken, PATH: '/usr/bin:/bin' }, 'cli');
    expect(result).toEqual({ kind: 'path', path: path.join(cached, 'temporal'), source: 'cache' });
  });

  it('fails with one line listing every route tried when nothing works', () => {
    const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'xdg-empty-'));
    // No python, go or mvn on this PATH, an empty cache, and no internet: every route must fail and be named.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'bin-'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const result = provisionIn({ XDG_CACHE_HOME: cacheHome, PATH: bin, TEMPORAL_CLI_PATH: '' }, 'cli');
    expect(result.error).toBe('TemporalProvisioningError');
    expect(result.message).not.toContain('\n');
    for (const route of ['$TEMPORAL_CLI_PATH', 'PATH', 'SDK download', 'PyPI', 'go install']) expect(result.message).toContain(route);
    expect(result.message).toMatch(/Fix: set TEMPORAL_CLI_PATH/);
  });
});
