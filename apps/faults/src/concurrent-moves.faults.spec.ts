import { TOPICS } from '@pipeline/events';
import { adminActor, errorCodes, expectNoErrors, TopicReader, waitFor } from '@pipeline/testing';

import { callAs, topicPrefix } from './faults-env';
import { createOpportunity, move } from './scenario';

describe('50 concurrent stage moves on one opportunity with expectedVersion', () => {
  it('lets exactly the valid ones win; history, events and versions agree with no gaps', async () => {
    // Arrange
    const admin = await callAs(adminActor());
    const id = await createOpportunity(admin);
    const reader = new TopicReader([`${topicPrefix()}${TOPICS.stageChanged}`]);
    await reader.start();

    // Act: five waves of ten concurrent moves, each wave built on the version read before it
    let wins = 0;
    const codes: string[] = [];
    for (let wave = 0; wave < 5; wave += 1) {
      const current = expectNoErrors(await admin<any>(`query($id: ID!) { opportunity(id: $id) { version stage { key } } }`, { id })).opportunity;
      const target = current.stage.key === 'QUALIFICATION' ? 'PROPOSAL' : 'QUALIFICATION';
      const responses = await Promise.all(Array.from({ length: 10 }, () => move(admin, id, target, current.version, 'Concurrency test')));
      wins += responses.filter((response) => !response.errors).length;
      codes.push(...responses.filter((response) => response.errors).flatMap((response) => errorCodes(response)));
    }

    // Assert
    expect(wins).toBe(5);
    expect(new Set(codes)).toEqual(new Set(['CONFLICT']));
    const opportunity = expectNoErrors(
      await admin<any>(`query($id: ID!) { opportunity(id: $id) { version stageHistory { version fromStage toStage } } }`, { id }),
    ).opportunity;
    expect(opportunity.version).toBe(6);
    expect(opportunity.stageHistory.map((entry: any) => entry.version)).toEqual([1, 2, 3, 4, 5, 6]);
    const events = await waitFor(
      () => {
        const mine = reader.parsed<any>().filter(({ message }) => message.key === id);
        return mine.length === 6 ? mine.map(({ event }) => event.data) : null;
      },
      { timeoutMs: 30_000, what: 'six events' },
    );
    await reader.stop();
    expect(events.map((data) => data.version)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.map((data) => [data.fromStage, data.toStage])).toEqual(opportunity.stageHistory.map((entry: any) => [entry.fromStage, entry.toStage]));
  });
});
