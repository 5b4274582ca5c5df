/** `npm run temporal:provision`: fetches and verifies both Temporal programs into the per-user cache (used by .ci/run). */
import { provision, TemporalProvisioningError } from '../adapters/temporal/provision';

try {
  for (const program of ['cli', 'test-server'] as const) {
    const result = await provision(program, (line) => console.log(line));
    console.log(`${program}: ${result.kind === 'path' ? result.path : 'SDK download'} (${result.source})`);
  }
} catch (error) {
  console.error(error instanceof TemporalProvisioningError ? error.message : error);
  process.exit(1);
}
