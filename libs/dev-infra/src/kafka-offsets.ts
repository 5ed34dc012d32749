import type { Admin } from 'kafkajs';

// kafkajs' fetchTopicOffsets gives up at once on "not the leader for that topic-partition" (and retries "does not host
// this topic-partition" only briefly): a busy single KRaft broker answers both for a while after creating a topic.
// Retriable answers are asked again until the deadline; anything else fails at once.
export async function topicOffsets(admin: Admin, topic: string, timeoutMs = 30_000): ReturnType<Admin['fetchTopicOffsets']> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
