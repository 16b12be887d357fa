// A jest reporter that says, at the very end of a run, why tests were skipped: suites that need
// real tools (buildah, docker-registry) name the reason in their title as "(skipped: …)" (see
// registry.ts skipReason), and the default summary only counts them ("5 skipped").

/** "(skipped: buildah not installed (run .ci/setup-image-tools.sh))" → the text inside, nested parentheses included. */
export function reasonIn(title) {
  const start = title.indexOf('(skipped: ');
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = start; i < title.length; i++) {
    if (title[i] === '(') depth += 1;
    if (title[i] === ')' && --depth === 0) return title.slice(start + '(skipped: '.length, i);
  }
  return undefined;
}

/** One line per reason, most skipped first; tests skipped without a stated reason are counted apart. */
export function skipSummary(testResults) {
  const counts = new Map();
  for (const file of testResults) {
    for (const test of file.testResults) {
      if (test.status !== 'pending' && test.status !== 'skipped') continue;
      const reason = [...test.ancestorTitles, test.title].map(reasonIn).find(Boolean) ?? 'no reason given';
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `skipped ${n} test${n === 1 ? '' : 's'}: ${reason}`);
}

export default class SkipReasonsReporter {
  constructor(_globalConfig, _options, _context, write = (text) => process.stderr.write(text)) {
    this.write = write;
  }

  onRunComplete(_contexts, results) {
    const lines = skipSummary(results.testResults);
    if (lines.length) this.write(`${lines.join('\n')}\n`);
  }
}
