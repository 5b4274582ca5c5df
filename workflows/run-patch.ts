import { patched, workflowInfo } from '@temporalio/workflow';

/**
 * A patch a run decides once, at its start: where, and why there.
 *
 * The SDK's rule (sdk-core 1.24): on replay a patch marker is known to the workflow only from the workflow task whose
 * commands hold it, and a local activity resolves in the task whose commands hold its marker. A task can be completed
 * with a local activity's marker before the workflow code has seen the result (core answers a query that came with the
 * task and asks for a new task: test/workflows/histories/record-split.test.ts); the code after the activity then ran
 * in the next task live, but runs in the earlier one on replay. A
 * patched() first asked right after a local activity therefore wrote its marker into a task that, on replay, the code
 * reaches one task early: patched() says false and replay fails ("Non-deprecated patch marker encountered").
 *
 * So a run asks at its start, in its first activation, before any local activity: a live run records the marker as
 * its first command, where every replay knows it. Histories written before (the marker later, or none at all) are
 * read where they were written: see `undecided` and `decide`. Asking at the start is only safe for a patch whose
 * marker, in histories already written, is the first command after the start's own (an update's acceptance): a known
 * marker asked for earlier than it was written would be matched against the wrong command.
 */
export class RunPatch {
  private decided: boolean | undefined;

  constructor(readonly id: string) {}

  /** Called in the run's first activation, before its first local activity. */
  askAtStart(): void {
    if (patched(this.id)) this.decided = true;
  }

  /**
   * True only when replaying a history whose first task does not hold the marker: written before this rule, the
   * marker is later (maybe in the task after a local activity's), or absent (written before the patch).
   */
  get undecided(): boolean {
    return this.decided === undefined;
  }

  /** Whether the run takes the patched path. */
  decide(): boolean {
    if (this.decided === undefined) {
      // A history without the marker at its start that goes on live keeps the old way to the end of the run: a marker
      // asked for now could land after a local activity again.
      if (!workflowInfo().unsafe.isReplaying) this.decided = false;
      else if (patched(this.id)) this.decided = true;
    }
    return this.decided ?? false;
  }
}
