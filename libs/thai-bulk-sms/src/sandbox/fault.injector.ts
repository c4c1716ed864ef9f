import { FaultPlan, SandboxApiPath, SandboxFault } from './sandbox.types';

interface ActiveFault {
  readonly fault: SandboxFault;
  readonly path?: SandboxApiPath;
  remaining: number;
  readonly rate?: number;
  readonly process: boolean;
}

export interface TakenFault {
  readonly fault: SandboxFault;
  /** Handle the request normally before misbehaving. */
  readonly process: boolean;
}

// These answer with a status that says "handled", so by default the work behind them is done.
const PROCESSED_BY_DEFAULT: ReadonlySet<SandboxFault['kind']> = new Set<SandboxFault['kind']>([
  'slow',
  'trickle',
  'malformed-json',
]);

/** Faults queued by tests; the first one that matches a request is used for it. */
export class FaultInjector {
  private active: ActiveFault[] = [];

  constructor(private readonly random: () => number) {}

  add(fault: SandboxFault, plan: FaultPlan = {}): void {
    validateFault(fault, plan);
    const byShare = plan.rate !== undefined && plan.times === undefined;
    this.active.push({
      fault,
      path: plan.path,
      remaining: byShare ? Number.POSITIVE_INFINITY : (plan.times ?? 1),
      rate: plan.rate,
      process: plan.process ?? PROCESSED_BY_DEFAULT.has(fault.kind),
    });
  }

  get size(): number {
    return this.active.length;
  }

  /** The fault for this request, if any; counts it against its plan. */
  take(path: string): TakenFault | undefined {
    if (this.active.length === 0) return undefined;
    for (let i = 0; i < this.active.length; i++) {
      const entry = this.active[i];
      if (entry.path !== undefined && entry.path !== path) continue;
      if (entry.rate !== undefined && this.random() >= entry.rate) continue;
      entry.remaining--;
      if (entry.remaining <= 0) this.active.splice(i, 1);
      return { fault: entry.fault, process: entry.process };
    }
    return undefined;
  }

  clear(): void {
    this.active = [];
  }
}

function validateFault(fault: SandboxFault, plan: FaultPlan): void {
  if (plan.times !== undefined && (!Number.isInteger(plan.times) || plan.times < 1)) {
    throw new RangeError(`FaultPlan.times must be a positive integer, got ${plan.times}`);
  }
  if (plan.rate !== undefined && !(plan.rate >= 0 && plan.rate <= 1)) {
    throw new RangeError(`FaultPlan.rate must be between 0 and 1, got ${plan.rate}`);
  }
  if (fault.kind === 'slow' && !(fault.delayMs >= 0)) throw new RangeError('slow fault needs delayMs >= 0');
  if (fault.kind === 'trickle' && !(fault.chunkDelayMs >= 0))
    throw new RangeError('trickle fault needs chunkDelayMs >= 0');
}
