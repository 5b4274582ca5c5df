import { inject } from 'vitest';

/** The workflow bundle built once per run by test/global-setup.ts. */
export function workflowBundle(): { code: string } {
  const error = inject('workflowBundleError');
  if (error) throw new Error(`the workflow bundle did not build: ${error}`);
  return { code: inject('workflowBundleCode') };
}
