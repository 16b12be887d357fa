// Who may assume the bootstrap's roles: GitHub puts the job's origin in its OIDC token, and the
// trust policies compare it. Jobs the user lists (by default pushes to main and the production
// environment) get the deploy role; pull request jobs run code anyone with a pull request wrote,
// so they get only the plan role. (The config validator refuses a list that would let every branch
// or pull request deploy: config/bootstrap-subjects.ts.)
import type { Config } from '../config/schema.js';
import type { Value } from './template.js';
import { ref, sub } from './intrinsics.js';
import { deploySubjects, subjectClaim } from '../config/bootstrap-subjects.js';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

type Bootstrap = NonNullable<Config['bootstrap']>;

/** The OIDC provider the trust policies name: created here, given, or the account's usual ARN. */
const oidcProvider: Value = {
  'Fn::If': [
    'CreatesOidcProvider',
    ref('GitHubOidcProvider'),
    {
      'Fn::If': [
        'HasOidcProviderArn',
        ref('OidcProviderArn'),
        sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:oidc-provider/${GITHUB_OIDC_HOST}`),
      ],
    },
  ],
};

function trustStatement(sid: string, condition: Record<string, Record<string, Value>>): Value {
  const audience = { [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com' };
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { Federated: oidcProvider },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { ...condition, StringEquals: { ...audience, ...condition.StringEquals } },
  };
}

/**
 * One statement per deployFrom entry, so the fields of one entry must all match (AND) and the
 * entries are alternatives (OR). A branch with an environment also checks the token's `ref`
 * claim, which IAM offers as a condition key of its own, since the sub then names only the environment.
 */
export function deployTrust(bootstrap: Bootstrap): Value[] {
  return deploySubjects(bootstrap).map((entry, i) => {
    const claim = subjectClaim(bootstrap.repository, entry);
    const operator = /[*?]/.test(claim) ? 'StringLike' : 'StringEquals';
    const condition: Record<string, Record<string, Value>> = { [operator]: { [`${GITHUB_OIDC_HOST}:sub`]: claim } };
    if (entry.environment && entry.branch)
      condition.StringEquals = { ...condition.StringEquals, [`${GITHUB_OIDC_HOST}:ref`]: `refs/heads/${entry.branch}` };
    return trustStatement(`Deploy${i + 1}`, condition);
  });
}

/** Pull request jobs of this repository only (forks get no OIDC token at all). */
export function planTrust(bootstrap: Bootstrap): Value[] {
  return [
    trustStatement('PullRequests', {
      StringEquals: { [`${GITHUB_OIDC_HOST}:sub`]: `repo:${bootstrap.repository}:pull_request` },
    }),
  ];
}
