/**
 * The consumer of a fanned-out run (PRODUCT.md §6 "at scale"): each message is a job of up to 25 sources. A job
 * that throws is retried by the Queue; after its last retry it lands in the dead-letter queue, whose consumer marks
 * its sources failed so the run record still completes.
 * @see https://developers.cloudflare.com/queues/configuration/dead-letter-queues/
 */
import { abandonJob, type SyncJob, syncJob } from "./run";

const DEAD_LETTER_QUEUE = "antq-sync-dlq";

export async function handleSyncQueue(batch: MessageBatch<SyncJob>, env: Env): Promise<void> {
  const deadLetters = batch.queue === DEAD_LETTER_QUEUE;
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        if (deadLetters) await abandonJob(env, message.body);
        else await syncJob(env, message.body);
        message.ack();
      } catch (err) {
        console.error(`sync job of run ${message.body.runId} failed (attempt ${message.attempts})`, err);
        message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
      }
    }),
  );
}
