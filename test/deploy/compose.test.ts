import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** There is no Docker engine here; Debian's docker-compose still parses and validates the production file. */
describe('docker-compose.yml', () => {
  it('is a valid compose file with the production services', () => {
    const out = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
      env: { ...process.env, KEY_SECRET: 'x'.repeat(32) },
      encoding: 'utf8',
    });
    for (const service of ['postgres:', 'temporal:', 'temporal-setup:', 'temporal-ui:', 'worker:', 'gateway:']) expect(out).toContain(service);
    expect(out).toContain('TEMPORAL_ADDRESS: temporal:7233');
    expect(out).toMatch(/--name NeedsHuman --type Bool/);
  });

  it('refuses to run without the shared KEY_SECRET', () => {
    const env = { ...process.env };
    delete env.KEY_SECRET;
    expect(() => execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { env, stdio: 'pipe' })).toThrow(/KEY_SECRET/);
  });
});
