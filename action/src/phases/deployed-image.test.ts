// Images in use never expire: the repository the action creates, the tags it moves on deploy and
// delete, and ECR's lifecycle evaluation (the fake runs the policy as ECR would) together keep
// every image a stack runs, however many pull request builds are pushed after it.
import { afterEach, describe, expect, it } from '@jest/globals';
import { CreateRepositoryCommand, ECRClient, PutLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { awsConfig, startFakeAws, type FakeAws } from '../../test-support/fake-aws/index.js';
import { configOf, minimalInput } from '../../test-support/configs.js';
import { ensureRepository } from '../image/ecr.js';
import { MemoryReporter } from '../reporter.js';
import { markDeployedImage, unmarkDeployedImage } from './deployed-image.js';

const DAY = 24 * 60 * 60 * 1000;
const config = configOf(minimalInput, { image: { keepImages: 5 } });

let fake: FakeAws | undefined;
afterEach(async () => fake?.close());

/** A fake AWS on a clock the test moves, an ECR client for it, and the config's repository created by the action. */
async function world() {
  let clock = Date.UTC(2026, 0, 1);
  fake = await startFakeAws({ now: () => clock });
  const ecr = new ECRClient(awsConfig(fake.url));
  const repository = await ensureRepository(ecr, { name: 'pubquiz', keepImages: 5 }, new MemoryReporter());
  let builds = 0;
  return {
    ecr,
    /** Pushes a build an hour after the previous one; returns what the stack's ImageUri would be. */
    push(tag = `src-${++builds}`) {
      clock += 60 * 60 * 1000;
      const { imageDigest } = fake!.addImage('pubquiz', { tags: [tag] });
      return { digest: imageDigest, uri: `${repository.uri}@${imageDigest}` };
    },
    /** Runs the lifecycle policy two days on, as ECR does in the background. */
    expire: () => fake!.ecr.expireImages('pubquiz', clock + 2 * DAY),
    digests: () => fake!.ecr.repositories.get('pubquiz')!.images.map((i) => i.imageDigest),
    tagsOf: (digest: string) =>
      fake!.ecr.repositories.get('pubquiz')!.images.find((i) => i.imageDigest === digest)?.imageTags,
  };
}

const stack = (stackName: string) => ({ config, stackName });

describe('images a stack runs', () => {
  it('survive any number of later pull request builds, and expire once no stack runs them', async () => {
    const w = await world();
    const reporter = new MemoryReporter();
    const production = w.push();
    await markDeployedImage(w.ecr, stack('pubquiz'), production.uri, reporter);
    expect(w.tagsOf(production.digest)).toEqual(['src-1', 'deployed-pubquiz']);
    const preview = w.push();
    await markDeployedImage(w.ecr, stack('pubquiz-pr-7'), preview.uri, reporter);
    const builds = Array.from({ length: 30 }, () => w.push());

    const expired = w.expire();
    expect(expired).toHaveLength(25);
    expect(w.digests()).toEqual(
      expect.arrayContaining([production.digest, preview.digest, ...builds.slice(-5).map((b) => b.digest)]),
    );
    expect(w.digests()).toHaveLength(7);

    // The next production deploy moves the tag: the image it ran before is now one of the builds.
    const next = w.push();
    await markDeployedImage(w.ecr, stack('pubquiz'), next.uri, reporter);
    expect(w.tagsOf(production.digest)).toEqual(['src-1']);
    w.expire();
    expect(w.digests()).not.toContain(production.digest);
    expect(w.digests()).toEqual(expect.arrayContaining([next.digest, preview.digest]));

    // Deleting the preview's stack lets its image go.
    await unmarkDeployedImage(w.ecr, stack('pubquiz-pr-7'), reporter);
    expect(w.tagsOf(preview.digest)).toEqual(['src-2']);
    w.expire();
    expect(w.digests()).not.toContain(preview.digest);
    expect(reporter.text).not.toContain('warning');
  });

  it('leaves a deploy of an image from elsewhere untagged, and says so', async () => {
    const w = await world();
    const reporter = new MemoryReporter();
    await markDeployedImage(w.ecr, stack('pubquiz'), `public.ecr.aws/nginx/nginx@sha256:${'a'.repeat(64)}`, reporter);
    expect(reporter.text).toContain("is not an image of the config's repository pinned by digest");
    expect(w.digests()).toEqual([]);
  });

  it('warns, without failing the deploy, when the repository will not let the tag move', async () => {
    fake = await startFakeAws();
    const ecr = new ECRClient(awsConfig(fake.url));
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'pubquiz', imageTagMutability: 'IMMUTABLE' }));
    const first = fake.addImage('pubquiz', { tags: ['src-1'] }).imageDigest;
    const second = fake.addImage('pubquiz', { tags: ['src-2'] }).imageDigest;
    const uri = (digest: string) => `123456789012.dkr.ecr.eu-west-1.amazonaws.com/pubquiz@${digest}`;
    const reporter = new MemoryReporter();
    await markDeployedImage(ecr, stack('pubquiz'), uri(first), reporter);
    await markDeployedImage(ecr, stack('pubquiz'), uri(second), reporter);
    expect(reporter.text).toContain('warning: Could not move the tag deployed-pubquiz to pubquiz@' + second);
    expect(reporter.text).toContain('Add deployed-* to its tag mutability exclusions');
  });

  it('brings a repository an earlier version created up to date, and leaves anyone else’s settings alone', async () => {
    fake = await startFakeAws();
    const ecr = new ECRClient(awsConfig(fake.url));
    const earlierPolicy = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: 'Keep the newest 30 images',
          selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 },
          action: { type: 'expire' },
        },
      ],
    });
    const ownPolicy = earlierPolicy.replace('Keep the newest 30 images', 'our own rule');
    for (const [repositoryName, lifecyclePolicyText] of [
      ['earlier', earlierPolicy],
      ['theirs', ownPolicy],
    ]) {
      await ecr.send(
        new CreateRepositoryCommand({
          repositoryName,
          imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
          imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'buildcache' }],
        }),
      );
      await ecr.send(new PutLifecyclePolicyCommand({ repositoryName, lifecyclePolicyText }));
    }
    const reporter = new MemoryReporter();
    await ensureRepository(ecr, { name: 'earlier', keepImages: 30 }, reporter);
    await ensureRepository(ecr, { name: 'theirs', keepImages: 30 }, reporter);

    const earlier = fake.ecr.repositories.get('earlier')!;
    expect(earlier.imageTagMutabilityExclusionFilters!.map((f) => f.filter)).toEqual(['buildcache', 'deployed-*']);
    const { rules } = JSON.parse(earlier.lifecyclePolicyText!) as {
      rules: { selection: { tagPatternList?: string[] } }[];
    };
    expect(rules[0].selection.tagPatternList).toEqual(['deployed-*']);
    expect(reporter.text).toContain('settings of an earlier version of this action');
    const theirs = fake.ecr.repositories.get('theirs')!;
    expect(theirs.lifecyclePolicyText).toBe(ownPolicy);
    expect(theirs.imageTagMutabilityExclusionFilters).toHaveLength(1);
  });
});
