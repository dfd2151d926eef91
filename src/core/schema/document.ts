// The published JSON Schema document, generated from the TypeBox definitions.
import { EventRecordSchema } from './events';

export function eventSchemaDocument(): object {
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(EventRecordSchema)) };
}

export function eventSchemaText(): string {
  return JSON.stringify(eventSchemaDocument(), null, 2) + '\n';
}
