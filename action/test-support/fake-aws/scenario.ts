// What a test can script: named presets plus options, applied at start and changeable at any
// time (in process, or by POST /__fake/scenario), so one test can walk several steps.
import type { DriftScript } from './drift.js';
import type { EcrSettings } from './ecr.js';
import type { TaskBehaviour } from './ecs.js';
import type { RolloutScenario } from './ecs-rollout.js';

export type SeedStatus =
  'CREATE_COMPLETE' | 'ROLLBACK_COMPLETE' | 'REVIEW_IN_PROGRESS' | 'UPDATE_ROLLBACK_FAILED' | 'UPDATE_IN_PROGRESS';

export interface ScenarioOptions {
  region: string;
  accountId: string;
  /** The stack the seeded presets put in place. */
  stackName?: string;
  /** A stack that exists already (re-seeded whenever this is set). Template: the sample one unless given. */
  stack?: {
    name?: string;
    status: SeedStatus;
    templateBody?: string;
    parameters?: Record<string, string>;
    terminationProtection?: boolean;
    /** UPDATE_IN_PROGRESS: another run's update, finishing after this long. */
    inProgressForMs?: number;
  };
  /** Until a change set is CREATE_COMPLETE (or FAILED). */
  changeSetReadyMs: number;
  /** How long each resource takes to create, update or delete. */
  resourceStepMs: number;
  /** The next operations fail at this resource (1-based among those they touch, or a logical id). */
  failAt?: { resource: number | string; reason?: string } | null;
  /** What the ECS service's tasks do. Anything but 'healthy' keeps the service from stabilizing. */
  service: { tasks: TaskBehaviour; taskCycleMs: number; exitCode?: number; failAfterMs: number | null };
  /** How long a service deployment takes, and an alarm that fires during it (ECS rolls back). */
  rollout: RolloutScenario;
  /** The next N calls of an operation answer Throttling "Rate exceeded". */
  throttle: Record<string, number>;
  /** The deployed API's answer: a status, or a sequence (the last one repeats). */
  smoke: {
    status: number | number[];
    latencyMs: number;
    body?: string;
    /** Forward open requests to this app and answer with its answer, instead of `status`. */
    backendUrl?: string;
    /** The integration sends `/<stage>/<path>`, as AWS documents for private integrations, not `/<path>`. */
    stageInPath?: boolean;
  };
  ecr: EcrSettings;
  changeSetPageSize: number;
  eventsPageSize: number;
  /** Resources changed by hand, as drift detection finds them. */
  drift?: DriftScript | null;
}

/** Everything optional, nested objects too: what callers pass. */
export type ScenarioInput = Partial<Omit<ScenarioOptions, 'service' | 'smoke' | 'ecr' | 'rollout'>> & {
  rollout?: Partial<RolloutScenario>;
  service?: Partial<ScenarioOptions['service']>;
  smoke?: Partial<ScenarioOptions['smoke']>;
  ecr?: Partial<EcrSettings>;
};

export const DEFAULT_FAILURE_REASON =
  'Resource handler returned message: "Invalid request provided: CreateService error: The target group does not have an associated load balancer. ' +
  '(Service: AmazonECS; Status Code: 400; Error Code: InvalidParameterException; Request ID: 5b7a3c1e-9d3f-4a57-8a35-0f6e0e1f2c3d; Proxy: null)" ' +
  '(RequestToken: 8f3c0d6e-1b2a-4c7d-9e8f-0a1b2c3d4e5f, HandlerErrorCode: InvalidRequest)';

export const ALARM_ROLLBACK_REASON =
  'Resource handler returned message: "Error occurred during operation \'ECS Deployment Alarms triggered, rolled back the deployment\'." ' +
  '(RequestToken: 6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b, HandlerErrorCode: GeneralServiceException)';

export const SERVICE_UNSTABLE_REASON =
  'Resource handler returned message: "Error occurred during operation \'ECS Deployment Circuit Breaker was triggered\'." ' +
  '(RequestToken: 2d7c1a9e-5f4b-4e3a-8c2d-1b0a9f8e7d6c, HandlerErrorCode: GeneralServiceException)';

export function defaultScenario(): ScenarioOptions {
  return {
    region: 'us-east-1',
    accountId: '123456789012',
    changeSetReadyMs: 1500,
    resourceStepMs: 300,
    service: { tasks: 'healthy', taskCycleMs: 1000, failAfterMs: 10_000 },
    rollout: { durationMs: 0 },
    throttle: {},
    smoke: { status: 200, latencyMs: 0 },
    ecr: { username: 'AWS', password: 'fake-ecr-password' },
    changeSetPageSize: 100,
    eventsPageSize: 100,
  };
}

export const PRESETS = {
  'first-create': {},
  existing: { stack: { status: 'CREATE_COMPLETE' } },
  'rollback-complete': { stack: { status: 'ROLLBACK_COMPLETE' } },
  'review-in-progress': { stack: { status: 'REVIEW_IN_PROGRESS' } },
  'update-rollback-failed': { stack: { status: 'UPDATE_ROLLBACK_FAILED' } },
  'in-progress': { stack: { status: 'UPDATE_IN_PROGRESS', inProgressForMs: 3000 } },
  failure: { failAt: { resource: 3 } },
  'unstable-service': { service: { tasks: 'image-pull', failAfterMs: 10_000 } },
  throttling: {
    throttle: {
      CreateChangeSet: 1,
      DescribeChangeSet: 3,
      DescribeStacks: 3,
      DescribeStackEvents: 3,
      ExecuteChangeSet: 1,
    },
  },
  'smoke-fails': { smoke: { status: 503 } },
} satisfies Record<string, ScenarioInput>;

export type PresetName = keyof typeof PRESETS;

export function isPreset(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

/** Options with `input` laid over them: nested objects merged, everything else replaced. */
export function mergeScenario(options: ScenarioOptions, input: ScenarioInput): ScenarioOptions {
  return {
    ...options,
    ...input,
    service: { ...options.service, ...input.service },
    rollout: { ...options.rollout, ...input.rollout },
    smoke: { ...options.smoke, ...input.smoke },
    ecr: { ...options.ecr, ...input.ecr },
    throttle: { ...options.throttle, ...input.throttle },
  };
}
