import { patched, workflowInfo } from '@temporalio/workflow';

/** The patch under which publish() writes search attributes and memo only when what they show changed. */
export const PUBLISH_ONLY_WHAT_CHANGED = 'publish-only-what-changed';

/**
 * Where a run decides PUBLISH_ONLY_WHAT_CHANGED, and why there.
 *
 * The SDK's rule (sdk-core 1.24): on replay a patch marker is known to the workflow only from the workflow task whose
 * commands hold it, and a local activity resolves in the task whose commands hold its marker. A task can be completed
 * with a local activity's marker before the workflow code has seen the result (a query answered meanwhile, or a task
 * heartbeat); the code after the activity then ran in the next task live, but runs in the earlier one on replay. A
 * patched() first asked right after a local activity therefore wrote its marker into a task that, on replay, the code
 * reaches one task early: patched() says false and replay fails ("Non-deprecated patch marker encountered").
 *
 * So a run asks at its start, in its first activation, before any local activity: a live run records the marker as
 * its first command, where every replay knows it. Histories written before (the marker after the setup activity, or
 * none at all) are read where they were written: see `undecided` and `onlyChanges`.
 */
export class PublishPatch {
  private decided: boolean | undefined;

  /** Called in the run's first activation, before its first local activity. */
  askAtStart(): void {
    if (patched(PUBLISH_ONLY_WHAT_CHANGED)) this.decided = true;
  }

  /**
   * True only when replaying a history whose first task does not hold the marker: written before this rule, the
   * marker is after the setup activity (maybe in the next task), or absent (written before the patch).
   */
  get undecided(): boolean {
    return this.decided === undefined;
  }

  /** Whether publish() writes only what changed. */
  onlyChanges(): boolean {
    if (this.decided === undefined) {
      // A history without the marker at its start that goes on live keeps the old way to the end of the run: a marker
      // asked for now could land after a local activity again.
      if (!workflowInfo().unsafe.isReplaying) this.decided = false;
      else if (patched(PUBLISH_ONLY_WHAT_CHANGED)) this.decided = true;
    }
    return this.decided ?? false;
  }
}
