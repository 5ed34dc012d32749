import { LOCAL_INTERNAL_SECRET } from '@pipeline/server-kit';
import { schemaDriftOf } from '@pipeline/testing';
import { EntitySchema } from 'typeorm';

import { leadService } from '../server';
import { LEAD_ENTITIES, LeadEntity } from './entities';

// Adding a field means a migration and a mapping: this fails when one of them is missing or they disagree.
describe('the lead mapping and its migrations', () => {
  const service = leadService({ config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false } });

  it('map exactly the columns the migrations build, with their types and nullability', async () => {
    expect(await schemaDriftOf(service)).toEqual([]);
  });

  it('notice a field mapped without its migration', async () => {
    // Arrange: the lead mapping with a column no migration adds
    const withWebsite = new EntitySchema<Record<string, unknown>>({
      ...LeadEntity.options,
      columns: { ...LeadEntity.options.columns, website: { type: 'text', nullable: true } },
    } as never);
    const entities = LEAD_ENTITIES.map((entity) => (entity === LeadEntity ? withWebsite : entity));

    // Act
    const drift = await schemaDriftOf({ ...service, entities });

    // Assert
    expect(drift).toEqual(['lead.website: mapped but not built by the migrations']);
  });
});
