/** Failures whose message already names the problem and the fix: shown as one line, without a stack. */
const EXPECTED = ['ConfigError', 'DevServerError', 'TemporalUnreachableError', 'TemporalProvisioningError', 'BusinessConfigError'];

/** Prints a start-up failure: one `error:` line for the expected ones, the whole error otherwise. */
export function reportStartupError(error: unknown): void {
  console.error(EXPECTED.includes((error as Error)?.name) ? `error: ${(error as Error).message}` : error);
}

/** Runs a command-line entry point: expected failures end with one line naming the problem and the fix. */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    reportStartupError(error);
    process.exit(1);
  }
}
