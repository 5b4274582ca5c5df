import type proto from '@temporalio/proto';

type Event = proto.temporal.api.history.v1.IHistoryEvent;

/** Commands of each completed workflow task, in order: the events between its Completed and the next task. */
export function commandsByTask(events: Event[]): Event[][] {
  const tasks: Event[][] = [];
  let current: Event[] | undefined;
  for (const e of events) {
    if (e.workflowTaskCompletedEventAttributes) tasks.push((current = []));
    else if (e.workflowTaskScheduledEventAttributes || e.workflowTaskStartedEventAttributes) current = undefined;
    else if (current) current.push(e);
  }
  return tasks;
}
const isLocalActivityMarker = (e: Event | undefined) => e?.markerRecordedEventAttributes?.markerName === 'core_local_activity';

/** The first task's last command is a local-activity marker and the next task goes on with the code after it. */
export function firstTaskEndsOnLocalActivity(events: Event[]): boolean {
  const [first, second] = commandsByTask(events);
  return isLocalActivityMarker(first?.at(-1)) && (second?.length ?? 0) > 0;
}
