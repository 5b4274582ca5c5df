import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedWorkflowBundle, workflowSourceHash } from '../../src/workflow-bundle';

describe('the workflow bundle cache', () => {
  it('is keyed by everything that goes into the bundle: any changed source makes a new key', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-hash-'));
    fs.mkdirSync(path.join(root, 'workflows'));
    fs.mkdirSync(path.join(root, 'src', 'domain'), { recursive: true });
    fs.writeFileSync(path.join(root, 'workflows', 'a.ts'), 'export const a = 1;');
    fs.writeFileSync(path.join(root, 'src', 'domain', 'b.ts'), 'export const b = 1;');
    fs.writeFileSync(path.join(root, 'package-lock.json'), '{}');
    const first = workflowSourceHash(root);
    expect(workflowSourceHash(root)).toBe(first);
    fs.writeFileSync(path.join(root, 'src', 'domain', 'b.ts'), 'export const b = 2;');
    const second = workflowSourceHash(root);
    expect(second).not.toBe(first);
    fs.writeFileSync(path.join(root, 'package-lock.json'), '{"v":2}');
    expect(workflowSourceHash(root)).not.toBe(second);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('builds once and then starts from the stored bundle', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-cache-'));
    const cold = await cachedWorkflowBundle({ cacheDir });
    expect(cold.cached).toBe(false);
    expect(cold.code).toContain('conversationWorkflow');
    const warm = await cachedWorkflowBundle({ cacheDir });
    expect(warm).toEqual({ code: cold.code, cached: true });
    expect(fs.readdirSync(cacheDir)).toEqual([`workflow-bundle-${workflowSourceHash()}.js`]);
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });
});
