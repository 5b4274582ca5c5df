import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The activities a history ran, in order: scheduled ones by their type, local ones by their markers (sdk-core's JSON). */
export function activityTypes(events: readonly HistoryEvent[]): { scheduled: string[]; local: string[] } {
  const scheduled: string[] = [];
  const local: string[] = [];
  for (const e of events) {
    if (e.activityTaskScheduledEventAttributes) scheduled.push(e.activityTaskScheduledEventAttributes.activityType!.name!);
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_local_activity') continue;
    const data = marker.details!['data']!.payloads![0]!.data!;
    local.push((JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type: string }).activity_type);
  }
  return { scheduled, local };
}
