import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ledgerOptions } from './options';

const ledger = proxyActivities<Activities>(ledgerOptions);

/**
 * Remembers where a customer's emails go (the web chat's optional address). A workflow rather than a gateway write,
 * so the gateway needs nothing but Temporal, the write is retried like any activity, and the address travels
 * encrypted by the payload codec. Id `contact:<customerKey>` (opaque).
 */
export async function rememberContactWorkflow(input: { customerKey: string; email: string | null }): Promise<void> {
  await ledger.setCustomerEmail({ customerKey: input.customerKey, email: input.email });
}
