import { conflict } from '@pipeline/domain';
import { EVENT_TYPES, type TypedCloudEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import { appendToOutbox, type OutboxEntry } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import type { Lead } from '../../domain/lead';
import { leadEvent } from '../../events/lead-events';
import { findLeadsByIds, updatedRowCount } from '../../persistence/lead-repository';

interface Conversion {
  leadId: string;
  opportunityId: string;
  convertedAt: Date;
}

// The opportunity service converted a lead: the lead records it (its own data has one writer: this service).
// Conversions are collected and applied once per chunk of events: one lock, one UPDATE and one outbox insert for all.
export async function markLeadConvertedOnOpportunityCreated(
  event: TypedCloudEvent<'sales.opportunity.created.v1'>,
  _manager: EntityManager,
  chunk: ChunkContext,
): Promise<void> {
  const leadId = event.data.opportunity.leadId;
  if (!leadId) return;
  // Ids as PostgreSQL returns them (lower case), so the batch's lookups by id match whatever case the event carried.
  chunk.collect<Conversion>(
    'mark-leads-converted',
    { leadId: leadId.toLowerCase(), opportunityId: event.data.opportunityId.toLowerCase(), convertedAt: new Date(event.time) },
    markLeadsConverted,
  );
}

async function markLeadsConverted(manager: EntityManager, conversions: Conversion[]): Promise<void> {
  const ids = [...new Set(conversions.map((conversion) => conversion.leadId))];
  const current = new Map((await findLeadsByIds(manager, ids, true)).map((lead) => [lead.id, lead]));
  const readVersion = new Map([...current.values()].map((lead) => [lead.id, lead.version]));
  const now = new Date();
  const events: OutboxEntry[] = [];
  // In event order, as if applied one by one: a repeated conversion to the same opportunity changes nothing.
  for (const conversion of conversions) {
    const lead = current.get(conversion.leadId);
    if (!lead || lead.opportunityId === conversion.opportunityId) continue;
    const next: Lead = { ...lead, status: 'CONVERTED', opportunityId: conversion.opportunityId, version: lead.version + 1, updatedAt: now };
    current.set(lead.id, next);
    events.push(
      leadEvent(EVENT_TYPES.leadConverted, next, { opportunityId: conversion.opportunityId, convertedAt: conversion.convertedAt.toISOString() }, now),
    );
  }
  const changed = [...current.values()].filter((lead) => lead.version !== readVersion.get(lead.id));
  if (changed.length === 0) return;
  const result = await manager.query(
    `UPDATE lead SET status = 'CONVERTED', opportunity_id = v.opportunity_id, version = v.next_version, updated_at = $5
       FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[]) AS v(id, opportunity_id, read_version, next_version)
      WHERE lead.id = v.id AND lead.version = v.read_version`,
    [
      changed.map((lead) => lead.id),
      changed.map((lead) => lead.opportunityId),
      changed.map((lead) => readVersion.get(lead.id)),
      changed.map((lead) => lead.version),
      now,
    ],
  );
  if (updatedRowCount(result) !== changed.length) throw conflict('Leads changed while being marked converted; retrying');
  await appendToOutbox(manager, events);
}
