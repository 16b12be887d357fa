// The checks a config passes only together with the rest of the project: the template it renders
// (resource count, size limits) and the build files its image section names. `validate` runs them
// all, so it never calls valid what `render` or a deploy would then refuse.
import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { renderStack } from '../render/index.js';
import { effectiveRoutes } from '../render/routes.js';
import type { ConfigProblem } from './problems.js';
import type { Config } from './schema.js';

/** CloudFormation's limit for a template body read from S3 ("Template body size in an Amazon S3 object", 1 MB). */
export const S3_TEMPLATE_LIMIT = 1_000_000;

/** Every problem the config has beyond its own fields, found in one pass. */
export async function projectProblems(config: Config, configDir: string): Promise<ConfigProblem[]> {
  return [...templateProblems(config), ...(await buildFileProblems(config, configDir))];
}

function templateProblems(config: Config): ConfigProblem[] {
  let body: string;
  try {
    body = JSON.stringify(renderStack(config));
  } catch (error) {
    return [{ path: '', message: (error as Error).message }];
  }
  const bytes = Buffer.byteLength(body);
  if (bytes <= S3_TEMPLATE_LIMIT) return [];
  return [
    {
      path: '',
      message:
        `renders a ${bytes.toLocaleString('en-US')}-byte template, over CloudFormation's 1 MB limit even from S3: ` +
        'look for large maps (service.environment, tags) or many routes',
    },
  ];
}

async function buildFileProblems(config: Config, configDir: string): Promise<ConfigProblem[]> {
  const unless = '(the action builds from it unless its image input names a ready image)';
  const shown = (path: string) => JSON.stringify(relative(configDir, path) || '.');
  const context = resolve(configDir, config.image.context);
  if (!(await stat(context).catch(() => undefined))?.isDirectory()) {
    return [{ path: 'image.context', message: `${shown(context)} is not a directory next to the config ${unless}` }];
  }
  const dockerfile = config.image.dockerfile
    ? resolve(configDir, config.image.dockerfile)
    : resolve(context, 'Dockerfile');
  if ((await stat(dockerfile).catch(() => undefined))?.isFile()) return [];
  return [
    {
      path: config.image.dockerfile ? 'image.dockerfile' : 'image.context',
      message: `there is no Dockerfile at ${shown(dockerfile)} ${unless}`,
    },
  ];
}

/** `ANY /{proxy+}`-style lines for every route the internet reaches without auth. */
export function publicRoutes(config: Config): string[] {
  return effectiveRoutes(config)
    .filter((route) => route.auth === 'none')
    .map((route) => `${route.methods.join(',')} ${route.path}`);
}

/** One sentence on who can call the API: the open routes, or that every route needs auth. */
export function exposureSentence(config: Config): string {
  const open = publicRoutes(config);
  if (open.length === 0) return 'Every route needs auth.';
  // A long list says how long it is rather than filling the screen.
  const listed = open.length > 20 ? [...open.slice(0, 20), `and ${open.length - 20} more`] : open;
  return `Open to anyone on the internet, without auth: ${listed.join('; ')}`;
}
