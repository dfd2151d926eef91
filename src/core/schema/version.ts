// The event schema's version alone, for the recorder: it writes it on every record and need not
// build the schema's TypeBox values (events.ts) to do so.
export const EVENT_SCHEMA_VERSION = 1;
