import type { Job } from 'bullmq';
import { SendSmsResult } from '../sms/sms.types';
import { failureOf } from './chunk-failure';
import { SmsSendState, SmsSendStatus, SmsChunkJobData, SmsChunkOutcome, SmsChunkState } from './queue.types';

/** One chunk job as read from Redis (`job` absent when retention removed it). */
export interface LoadedChunk {
  readonly index: number;
  readonly jobId: string;
  readonly state: SmsChunkState;
  readonly job?: Pick<
    Job<SmsChunkJobData, SendSmsResult>,
    'id' | 'data' | 'returnvalue' | 'failedReason' | 'attemptsMade' | 'timestamp' | 'finishedOn'
  >;
}

/** The send's state from its chunks' states, and the sums of the chunks already answered. */
export function sendStatusOf(sendId: string, chunks: readonly LoadedChunk[]): SmsSendStatus {
  const counts: Record<SmsChunkState, number> = {
    waiting: 0,
    delayed: 0,
    active: 0,
    completed: 0,
    failed: 0,
    missing: 0,
  };
  let recipients = 0;
  let accepted = 0;
  let rejected = 0;
  let creditsUsed = 0;
  let createdAt = Number.POSITIVE_INFINITY;
  let finishedAt = 0;
  const failures = [];
  for (const chunk of chunks) {
    counts[chunk.state]++;
    const job = chunk.job;
    if (!job) continue;
    recipients += job.data.send.to.length;
    createdAt = Math.min(createdAt, job.timestamp);
    if (job.finishedOn) finishedAt = Math.max(finishedAt, job.finishedOn);
    if (chunk.state === 'completed' && job.returnvalue) {
      accepted += job.returnvalue.accepted.length;
      rejected += job.returnvalue.rejected.length;
      creditsUsed += job.returnvalue.creditsUsed;
    } else if (chunk.state === 'failed') {
      failures.push(failureOf(job));
    }
  }
  const settled = counts.completed + counts.failed + counts.missing === chunks.length;
  return {
    id: sendId,
    state: stateOf(counts, chunks.length),
    chunks: { ...counts, total: chunks.length },
    recipients,
    accepted,
    rejected,
    creditsUsed,
    failures,
    createdAt: Number.isFinite(createdAt) ? createdAt : 0,
    ...(settled && finishedAt > 0 ? { finishedAt } : {}),
  };
}

/**
 * `queued` until a chunk starts, `sending` while any is waiting or running, then `completed`
 * (every chunk sent), `failed` (none sent) or `partially-failed`. Chunks removed by retention
 * count as settled: they were finished before they could be removed.
 */
function stateOf(counts: Record<SmsChunkState, number>, total: number): SmsSendState {
  const pending = counts.waiting + counts.delayed + counts.active;
  if (pending > 0) return pending === total && counts.active === 0 ? 'queued' : 'sending';
  if (counts.failed === 0) return 'completed';
  return counts.failed === total ? 'failed' : 'partially-failed';
}

export function chunkOutcomeOf(chunk: LoadedChunk): SmsChunkOutcome {
  const { index, jobId, state, job } = chunk;
  if (state === 'completed' && job?.returnvalue) return { index, jobId, state, result: job.returnvalue };
  if (state === 'failed' && job) return { index, jobId, state, failure: failureOf(job) };
  return { index, jobId, state };
}
