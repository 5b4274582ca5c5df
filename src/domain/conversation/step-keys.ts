/**
 * Keys of a conversation's side effects — ledger idempotency keys, outbox purposes, staff notices — unique for the
 * customer's whole life on this channel, not for one workflow run.
 *
 * A conversation outlives its runs: it idles out and a week later the same workflow id starts again with its turn
 * counter reset, or an operator terminates it and the customer writes again. Keys built from the workflow id and the
 * turn alone then collide with the previous run's: the ledger refuses a reused key and the outbox takes a new reply
 * for one already sent. Every key therefore carries the id of the run chain's first execution (`firstExecutionRunId`:
 * the same across continue-as-new, new for every fresh start), so a retried step still repeats its own key — the
 * retry the key exists to catch — while a new chain can never meet an old one's.
 */
export class StepKeys {
  constructor(
    /** `conversation:<channel>:<key>`: the outbox scope, so every message to this customer on this channel is one list. */
    readonly workflowId: string,
    /** `firstExecutionRunId` of the current run chain. */
    readonly chainId: string,
  ) {}

  /** A ledger idempotency key for one step: `<workflowId>:<chainId>:<step>`. */
  ledger(step: string): string {
    return `${this.workflowId}:${this.chainId}:${step}`;
  }

  /** An outbox purpose within the conversation's scope: `<chainId>:<step>`. */
  purpose(step: string): string {
    return `${this.chainId}:${step}`;
  }
}
