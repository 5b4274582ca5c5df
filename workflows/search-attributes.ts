import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Search attributes every conversation and appointment carries, so operators can query them in the Web UI
 * (e.g. `NeedsHuman = true AND ExecutionStatus = "Running"`). They are stored in plain text: never personal data.
 */
export const BookingStatusKey = defineSearchAttributeKey('BookingStatus', SearchAttributeType.KEYWORD);
export const ChannelKey = defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD);
export const NeedsHumanKey = defineSearchAttributeKey('NeedsHuman', SearchAttributeType.BOOL);
export const ServiceIdKey = defineSearchAttributeKey('ServiceId', SearchAttributeType.KEYWORD);
export const AppointmentStartKey = defineSearchAttributeKey('AppointmentStart', SearchAttributeType.DATETIME);

/** Name and server type of each attribute, for registering them (`temporal server start-dev --search-attribute`). */
export const SEARCH_ATTRIBUTES = [
  { name: BookingStatusKey.name, type: 'Keyword' },
  { name: ChannelKey.name, type: 'Keyword' },
  { name: NeedsHumanKey.name, type: 'Bool' },
  { name: ServiceIdKey.name, type: 'Keyword' },
  { name: AppointmentStartKey.name, type: 'Datetime' },
] as const;
