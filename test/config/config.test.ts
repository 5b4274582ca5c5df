import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

const demo = JSON.parse(fs.readFileSync('config/business.json', 'utf8'));
function businessFile(value: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'biz-')), 'business.json');
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}
const load = (env: Record<string, string>) => () => loadConfig({ BUSINESS_CONFIG: 'config/business.json', ...env });

describe('configuration', () => {
  it('runs with embedded defaults: offline interpreter, PGlite, own dev server, the demo business', () => {
    const config = loadConfig({});
    expect(config.env.PORT).toBe(3000);
    expect(config.temporal.address).toBeUndefined();
    expect(config.env.DATABASE_URL).toBeUndefined();
    expect(config.model).toEqual({ kind: 'offline' });
    expect(config.business.services.length).toBeGreaterThanOrEqual(3);
    expect(config.business.providers.length).toBeGreaterThanOrEqual(2);
  });

  it('picks an OpenAI-compatible model from LLM_* and accepts OPENAI_API_KEY as the key', () => {
    const config = loadConfig({ LLM_MODEL: 'gpt-4o-mini', OPENAI_API_KEY: 'sk-test', LLM_BASE_URL: 'http://localhost:11434/v1' });
    expect(config.model).toEqual({ kind: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test', baseURL: 'http://localhost:11434/v1' });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT: PORT must be a number/],
    [{ PORT: '70000' }, /PORT must be between 0 and 65535/],
    [{ TEMPORAL_ADDRESS: 'http://x y' }, /TEMPORAL_ADDRESS must be host:port/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL must be an absolute URL/],
    [{ LLM_MODEL: 'gpt-4o' }, /LLM_MODEL is set but neither LLM_API_KEY/],
    [{ BUSINESS_CONFIG: '/nonexistent/business.json' }, /BUSINESS_CONFIG: cannot read \/nonexistent\/business.json/],
  ])('refuses %j with a message naming the field and the fix', (env, message) => {
    expect(load(env)).toThrowError(ConfigError);
    expect(load(env)).toThrowError(message);
  });

  it('names every bad field of an invalid business file', () => {
    const broken = {
      ...demo,
      timezone: 'Mars/Olympus',
      services: [{ ...demo.services[0], durationMinutes: -5 }],
      providers: [{ ...demo.providers[0], serviceIds: ['haircut', 'teeth-whitening'], hours: { ...demo.providers[0].hours, mon: [['17:00', '09:00']] } }],
    };
    const run = load({ BUSINESS_CONFIG: businessFile(broken) });
    expect(run).toThrowError(/timezone: must be an IANA time zone/);
    expect(run).toThrowError(/services\.0\.durationMinutes/);
    expect(run).toThrowError(/providers\.0\.serviceIds\.1: unknown service "teeth-whitening"/);
    expect(run).toThrowError(/providers\.0\.hours\.mon\.0: an opening interval must end after it starts/);
  });

  it('says where a business file is not JSON', () => {
    expect(load({ BUSINESS_CONFIG: businessFile('{"name": ') })).toThrowError(/is not valid JSON .*fix the syntax/);
  });
});
