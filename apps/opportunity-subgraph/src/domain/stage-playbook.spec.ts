import { DomainError } from '@pipeline/domain';

import { parseStages, type StageDraft } from './pipeline';

const stages = (first: Partial<StageDraft>): StageDraft[] => [
  { key: 'DISCOVERY', name: 'Discovery', probability: 0.2, category: 'OPEN', ...first },
  { key: 'WON', name: 'Won', probability: 1, category: 'WON' },
  { key: 'LOST', name: 'Lost', probability: 0, category: 'LOST' },
];

describe('stage playbooks', () => {
  it('keeps guidance and one note per objection category on the stage', () => {
    // Act
    const [discovery, won] = parseStages(
      stages({ guidance: '  Find the pain and the budget owner. ', objectionNotes: [{ category: 'PRICE', note: 'Anchor on the cost of doing nothing' }] }),
    );

    // Assert
    expect(discovery).toMatchObject({
      guidance: 'Find the pain and the budget owner.',
      objectionNotes: [{ category: 'PRICE', note: 'Anchor on the cost of doing nothing' }],
    });
    expect(won).toMatchObject({ guidance: null, objectionNotes: [] });
  });

  it.each([
    [[{ category: 'WEATHER', note: 'x' }], 'stages[0].objectionNotes[0].category'],
    [[{ category: 'PRICE', note: '' }], 'stages[0].objectionNotes[0].note'],
    [
      [
        { category: 'PRICE', note: 'a' },
        { category: 'PRICE', note: 'b' },
      ],
      'stages[0].objectionNotes',
    ],
  ])('refuses a bad objection note %j, naming the field', (objectionNotes, field) => {
    let caught: unknown;
    try {
      parseStages(stages({ objectionNotes }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect(caught).toMatchObject({ code: 'BAD_USER_INPUT', details: { field } });
  });
});
