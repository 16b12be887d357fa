// The jobs a bootstrap trusts, as GitHub names them in the OIDC token's `sub` claim, and the
// check that refuses a trust letting untrusted code deploy. Used by the config validator (so the
// refusal names the field) and by the bootstrap renderer.
import type { Finding } from './checks.js';

export interface DeploySubject {
  branch?: string;
  environment?: string;
  subject?: string;
}

interface Bootstrap {
  repository: string;
  branch?: string;
  environment?: string;
  deployFrom?: DeploySubject[];
  trustEveryWorkflow: boolean;
}

export const DEFAULT_DEPLOY_FROM: DeploySubject[] = [{ branch: 'main' }, { environment: 'production' }];

/** The deployFrom entries, from the list, the branch/environment shorthand, or the default. */
export function deploySubjects(bootstrap: Bootstrap): DeploySubject[] {
  if (bootstrap.deployFrom) return bootstrap.deployFrom;
  if (bootstrap.branch || bootstrap.environment)
    return [{ branch: bootstrap.branch, environment: bootstrap.environment }];
  return DEFAULT_DEPLOY_FROM;
}

/** The `sub` claim a job of this entry carries. A job with `environment:` has the environment in its sub, never its branch. */
export function subjectClaim(repository: string, entry: DeploySubject): string {
  const repo = `repo:${repository}`;
  if (entry.subject) return `${repo}:${entry.subject}`;
  if (entry.environment) return `${repo}:environment:${entry.environment}`;
  return `${repo}:ref:refs/heads/${entry.branch}`;
}

/** IAM's StringLike: `*` any run of characters, `?` one character. */
export function stringLike(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

/**
 * Why these subjects would let untrusted code deploy: a pull request job, a job on a branch anyone
 * with write access can push, and a job in an environment nobody protected are all untrusted.
 */
export function untrustedSubjectFindings(bootstrap: Bootstrap): Finding[] {
  if (bootstrap.trustEveryWorkflow) return [];
  const repo = `repo:${bootstrap.repository}`;
  const untrusted = [
    { claim: `${repo}:pull_request`, what: 'every pull request (code anyone can propose)' },
    { claim: `${repo}:ref:refs/heads/x-unreviewed-branch`, what: 'every branch (anyone who can push a branch)' },
    { claim: `${repo}:environment:x-unprotected`, what: 'every environment, even ones without reviewers' },
  ];
  return deploySubjects(bootstrap).flatMap((entry, i) => {
    const claim = subjectClaim(bootstrap.repository, entry);
    const hit = untrusted.find((u) => stringLike(claim, u.claim));
    if (!hit) return [];
    return [
      {
        path: bootstrap.deployFrom ? ['deployFrom', i] : [],
        message: `${claim} would let ${hit.what} assume the deploy role, which executes change sets and pushes the image production runs. Pull requests get the plan role; list the branches and environments that deploy, or set bootstrap.trustEveryWorkflow: true if every workflow really should deploy`,
      },
    ];
  });
}
