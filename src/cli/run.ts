/** Runs a command-line entry point: expected failures end with one line naming the problem and the fix. */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const expected = ['ConfigError', 'DevServerError', 'TemporalUnreachableError', 'TemporalProvisioningError', 'BusinessConfigError'];
    const name = (error as Error)?.name;
    console.error(expected.includes(name) ? `error: ${(error as Error).message}` : error);
    process.exit(1);
  }
}
