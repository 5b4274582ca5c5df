import type { Business } from '../src/domain/booking/business';

/**
 * Hands the validated business configuration to workflows, which cannot read files. One activity per run keeps
 * the configuration out of every workflow's input while letting a restart pick up an edited file.
 */
export function createBusinessActivities(deps: { business: Business; localModel: boolean }) {
  return {
    async getBusiness(): Promise<Business> {
      return deps.business;
    },
    /**
     * What a conversation run needs before its first turn: the business, and whether the model runs in this process
     * (the offline interpreter), in which case the workflow calls it as a local activity and saves a server round trip.
     */
    async conversationSetup(): Promise<{ business: Business; localModel: boolean }> {
      return { business: deps.business, localModel: deps.localModel };
    },
  };
}
