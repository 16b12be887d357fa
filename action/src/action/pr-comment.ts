// One pull request comment per stack, found again by a hidden marker and edited in place, so a
// busy pull request gets one up-to-date plan instead of a new comment on every push.
import * as github from '@actions/github';

/** Longest the comment may take: list the comments, then create or update one. */
const GITHUB_REQUEST_MS = 30_000;

export function commentMarker(stackName: string): string {
  return `<!-- private-fargate-api:plan stack=${stackName} -->`;
}

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

/** The pull request this run belongs to, or undefined outside pull_request events. */
export function currentPullRequest(): PullRequestRef | undefined {
  const { payload, repo } = github.context;
  const number = payload.pull_request?.number;
  return typeof number === 'number' ? { ...repo, number } : undefined;
}

/** Creates or updates the stack's comment; returns its URL. */
export async function upsertPlanComment(
  token: string,
  pr: PullRequestRef,
  stackName: string,
  body: string,
  signal?: AbortSignal,
): Promise<string> {
  // One deadline for the comment's requests together, and the run's cancel or deadline.
  const bounded = AbortSignal.timeout(GITHUB_REQUEST_MS);
  const octokit = github.getOctokit(token, {
    request: { signal: signal ? AbortSignal.any([signal, bounded]) : bounded },
  });
  const marker = commentMarker(stackName);
  const text = `${marker}\n${body}`;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
  });
  const existing = comments.find((c) => c.body?.includes(marker));
  if (existing) {
    const { data } = await octokit.rest.issues.updateComment({
      owner: pr.owner,
      repo: pr.repo,
      comment_id: existing.id,
      body: text,
    });
    return data.html_url;
  }
  const { data } = await octokit.rest.issues.createComment({
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    body: text,
  });
  return data.html_url;
}
