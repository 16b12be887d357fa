// Bundled in place of 'undici', which @actions/http-client and @actions/github import only to
// reach GitHub through an HTTP proxy. The real undici (~400 KB) is bundled beside it as
// dist/undici.cjs and loaded the first time a proxy is actually used; without a proxy, Node's
// own fetch does the work. This keeps every start of the action from parsing it.
import { createRequire } from 'node:module';

let undici;
const load = () => (undici ??= createRequire(import.meta.url)('./undici.cjs'));

export class ProxyAgent {
  constructor(options) {
    return new (load().ProxyAgent)(options);
  }
}

export function fetch(url, options) {
  return options?.dispatcher ? load().fetch(url, options) : globalThis.fetch(url, options);
}
