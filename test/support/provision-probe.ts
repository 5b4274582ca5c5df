/** Run by the provisioning tests in a fresh process: prints the provisioning result (or error) as one JSON line. */
import { provision } from '../../src/adapters/temporal/provision';

const program = process.argv[2] as 'cli' | 'test-server';
try {
  console.log(JSON.stringify(await provision(program)));
} catch (error) {
  console.log(JSON.stringify({ error: (error as Error).name, message: (error as Error).message }));
}
