import type { Business } from '../src/domain/booking/business';

/**
 * Hands the validated business configuration to workflows, which cannot read files. One activity per run keeps
 * the configuration out of every workflow's input while letting a restart pick up an edited file.
 */
export function createBusinessActivities(deps: { business: Business }) {
  return {
    async getBusiness(): Promise<Business> {
      return deps.business;
    },
  };
}
