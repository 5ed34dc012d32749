import type { Admin } from 'kafkajs';
import { KafkaJSProtocolError } from 'kafkajs';

import { topicOffsets } from './kafka-offsets';

// The broker's answers in order: an error to throw or the offsets to return.
const adminAnswering = (answers: Array<Error | Array<{ partition: number; offset: string; high: string; low: string }>>) => {
  let calls = 0;
  const admin = {
    fetchTopicOffsets: async () => {
      const answer = answers[Math.min(calls, answers.length - 1)];
      calls += 1;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as Admin;
  return { admin, calls: () => calls };
};
// As kafkajs builds them from the broker's error codes.
const protocolError = (type: string, code: number, retriable: boolean, message: string) =>
  new KafkaJSProtocolError(Object.assign(new Error(message), { type, code, retriable }));
const notLeader = () => protocolError('NOT_LEADER_FOR_PARTITION', 6, true, 'This server is not the leader for that topic-partition');
const offsets = [{ partition: 0, offset: '3', high: '3', low: '0' }];

describe('topic offsets from a busy broker', () => {
  it('asks again while the broker answers a retriable error, and returns the offsets it then gives', async () => {
    // Arrange
    const { admin, calls } = adminAnswering([notLeader(), notLeader(), offsets]);

    // Act
    const answer = await topicOffsets(admin, 'topic', 5_000);

    // Assert
    expect(answer).toEqual(offsets);
    expect(calls()).toBe(3);
  });

  it('fails at once on an error that asking again cannot mend', async () => {
    // Arrange
    const denied = protocolError('TOPIC_AUTHORIZATION_FAILED', 29, false, 'Not authorized to access topics');
    const { admin, calls } = adminAnswering([denied, offsets]);

    // Act
    const outcome = topicOffsets(admin, 'topic', 5_000);

    // Assert
    await expect(outcome).rejects.toThrow('Not authorized');
    expect(calls()).toBe(1);
  });

  it('gives up with the broker’s error once the deadline has passed', async () => {
    // Arrange
    const { admin, calls } = adminAnswering([notLeader()]);

    // Act
    const outcome = topicOffsets(admin, 'topic', 250);

    // Assert
    await expect(outcome).rejects.toThrow('not the leader');
    expect(calls()).toBeGreaterThan(1);
  });
});
