import { LOCAL_INTERNAL_SECRET } from '@pipeline/server-kit';
import { schemaDriftOf } from '@pipeline/testing';

import { dealService } from '../server';

// Adding a field means a migration and a mapping: this fails when one of them is missing or they disagree.
describe('the deal mapping and its migrations', () => {
  it('map exactly the columns the migrations build, with their types and nullability', async () => {
    expect(await schemaDriftOf(dealService({ config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false } }))).toEqual([]);
  });
});
