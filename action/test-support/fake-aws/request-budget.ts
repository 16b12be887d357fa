// CloudFormation's request budget: one account and Region share a rate per kind of call, and
// calls beyond it are refused with `Throttling` "Rate exceeded". Token buckets, one per kind: each
// refills at perSecond up to burst; a call takes one token or is refused (a refused call takes
// nothing). Time comes from the server's clock, so tests can drive it.

export interface BucketSettings {
  /** Tokens added per second (the sustained rate). */
  perSecond: number;
  /** Bucket size: how many calls may come at once after a quiet spell. */
  burst: number;
}

export interface RequestBudgetOptions {
  /** Describe*, List* and Get* calls (polls). */
  reads: BucketSettings;
  /** Every other call (create, execute, delete, …). */
  writes: BucketSettings;
}

/** A budget in the spirit of CloudFormation's own: 10 polls a second, fewer changes. */
export const CLOUDFORMATION_BUDGET: RequestBudgetOptions = {
  reads: { perSecond: 10, burst: 20 },
  writes: { perSecond: 5, burst: 10 },
};

const READ = /^(Describe|List|Get)/;

class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly settings: BucketSettings,
    now: number,
  ) {
    this.tokens = settings.burst;
    this.updatedAt = now;
  }

  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.settings.burst, this.tokens + (elapsed / 1000) * this.settings.perSecond);
    this.updatedAt = Math.max(this.updatedAt, now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class RequestBudget {
  private readonly reads: TokenBucket;
  private readonly writes: TokenBucket;

  constructor(
    options: Partial<RequestBudgetOptions>,
    private readonly now: () => number,
  ) {
    const settings = { ...CLOUDFORMATION_BUDGET, ...options };
    for (const [kind, bucket] of Object.entries(settings))
      if (!(bucket.perSecond > 0 && bucket.burst >= 1))
        throw new Error(`requestBudget.${kind} needs perSecond > 0 and burst ≥ 1`);
    this.reads = new TokenBucket(settings.reads, now());
    this.writes = new TokenBucket(settings.writes, now());
  }

  /** Whether the call may go ahead now (and it is counted); false: answer Throttling. */
  admit(operation: string): boolean {
    return (READ.test(operation) ? this.reads : this.writes).take(this.now());
  }
}
