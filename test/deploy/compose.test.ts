import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** What a deployment must set: the shared secrets and the Web UI's sign-in (deny by default). */
const REQUIRED = {
  KEY_SECRET: 'x'.repeat(32),
  PAYLOAD_KEYS: `k1:${'A'.repeat(43)}=`,
  UI_OIDC_ISSUER: 'https://login.example.com/',
  UI_OIDC_CLIENT_ID: 'temporal-ui',
  UI_OIDC_CLIENT_SECRET: 'ui-secret',
  UI_OIDC_JWKS_URL: 'https://login.example.com/.well-known/jwks.json',
  UI_OIDC_AUDIENCE: 'temporal-ui',
};

/** There is no Docker engine here; Debian's docker-compose still parses and validates the production file. */
describe('docker-compose.yml', () => {
  it('is a valid compose file with the production services', () => {
    const out = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
      env: { ...process.env, ...REQUIRED },
      encoding: 'utf8',
    });
    for (const service of ['postgres:', 'temporal:', 'temporal-setup:', 'temporal-ui:', 'worker:', 'gateway:']) expect(out).toContain(service);
    expect(out).toContain('TEMPORAL_ADDRESS: temporal:7233');
    expect(out).toMatch(/--name NeedsHuman --type Bool/);
  });

  it.each(Object.keys(REQUIRED))('refuses to run without %s', (name) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...REQUIRED };
    delete env[name];
    expect(() => execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { env, stdio: 'pipe' })).toThrow(new RegExp(name));
  });

  it('denies by default: payloads encrypted, the Web UI behind its sign-in and decoding through the gateway with the user\'s token, Temporal unpublished', () => {
    const out = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { env: { ...process.env, ...REQUIRED }, encoding: 'utf8' });
    expect(out).toContain(`PAYLOAD_KEYS: ${REQUIRED.PAYLOAD_KEYS}`);
    expect(out).toMatch(/TEMPORAL_AUTH_ENABLED: ["']true["']/);
    expect(out).toContain('TEMPORAL_CODEC_ENDPOINT: http://localhost:3000/codec');
    expect(out).toMatch(/TEMPORAL_CODEC_PASS_ACCESS_TOKEN: ["']true["']/);
    expect(out).toContain(`CODEC_JWKS_URL: ${REQUIRED.UI_OIDC_JWKS_URL}`);
    expect(out).toContain(`CODEC_JWT_AUDIENCE: ${REQUIRED.UI_OIDC_AUDIENCE}`);
    expect(out).toContain('TEMPORAL_UI_ORIGIN: http://localhost:8233');
    expect(out).toContain('DEFAULT_NAMESPACE_RETENTION: 72h');
    // Published: the gateway, and the Web UI on loopback only; never Temporal's gRPC or PostgreSQL.
    expect(out).toContain('127.0.0.1:8233:8080');
    expect(out).toMatch(/published: ["']?3000/);
    expect(out).not.toMatch(/7233:7233|published: ["']?7233|5432:5432|published: ["']?5432/);
  });
});
