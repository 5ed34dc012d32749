import { randomUUID } from 'node:crypto';

import { type TSchema, Type } from '@sinclair/typebox';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

import { EVENT_CATALOGUE, type EventDataMap, type EventDefinition, eventDefinition, type EventType } from './schemas';

// CloudEvents 1.0, structured JSON mode (contract/events.md).
export interface CloudEvent<TType extends string = string, TData = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: TType;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: TData;
  // CloudEvents distributed-tracing extension: the W3C trace context of the change that produced the event, when traced.
  traceparent?: string;
  tracestate?: string;
}

export type TypedCloudEvent<T extends EventType> = CloudEvent<T, EventDataMap[T]>;
export type AnyPipelineEvent = { [T in EventType]: TypedCloudEvent<T> }[EventType];

export interface NewEvent<T extends EventType> {
  type: T;
  source: string;
  subject: string;
  data: EventDataMap[T];
  time?: Date;
  id?: string;
}

export function createCloudEvent<T extends EventType>(event: NewEvent<T>): TypedCloudEvent<T> {
  return {
    specversion: '1.0',
    id: event.id ?? randomUUID(),
    source: event.source,
    type: event.type,
    subject: event.subject,
    time: (event.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    data: event.data,
  };
}

// The JSON Schema of one event type: the envelope with its type fixed and its data described.
export function cloudEventSchemaFor(definition: EventDefinition): TSchema {
  return Type.Object(
    {
      specversion: Type.Literal('1.0'),
      id: Type.String({ minLength: 1 }),
      source: Type.String({ minLength: 1, format: 'uri-reference' }),
      type: Type.Literal(definition.type),
      subject: Type.String({ minLength: 1 }),
      time: Type.String({ format: 'date-time' }),
      datacontenttype: Type.Literal('application/json'),
      data: definition.data,
      traceparent: Type.Optional(
        Type.String({ description: 'W3C traceparent of the change that produced the event (CloudEvents distributed-tracing extension)' }),
      ),
      tracestate: Type.Optional(Type.String({ description: 'W3C tracestate accompanying traceparent (CloudEvents distributed-tracing extension)' })),
    },
    {
      $id: `https://schemas.pipeline.dev/events/${definition.type}.json`,
      title: definition.type,
      description: definition.description,
    },
  );
}

const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const validators = new Map<string, ValidateFunction>(EVENT_CATALOGUE.map((definition) => [definition.type, ajv.compile(cloudEventSchemaFor(definition))]));

export type ParsedEvent = { ok: true; event: AnyPipelineEvent; definition: EventDefinition } | { ok: false; reason: string; type?: string };

// Reads a message value as the contract demands; anything else is a poison message with a reason.
export function parseCloudEvent(value: Buffer | string | null): ParsedEvent {
  if (value === null || value.length === 0) return { ok: false, reason: 'empty message value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, reason: 'message is not a JSON object' };
  const type = (json as { type?: unknown }).type;
  if (typeof type !== 'string') return { ok: false, reason: 'missing CloudEvents type' };
  const definition = eventDefinition(type);
  const validate = validators.get(type);
  if (!definition || !validate) return { ok: false, reason: `unknown event type ${type}`, type };
  if (!validate(json)) {
    const details = (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`).join('; ');
    return { ok: false, reason: `schema violation: ${details}`, type };
  }
  return { ok: true, event: json as AnyPipelineEvent, definition };
}

export function validateCloudEvent(event: unknown): string[] {
  const type = (event as { type?: unknown })?.type;
  const validate = typeof type === 'string' ? validators.get(type) : undefined;
  if (!validate) return [`unknown event type ${String(type)}`];
  return validate(event) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
}
