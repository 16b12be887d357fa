// Preloaded with `node --import` by the action bench: prints the process's peak memory at exit.
process.on('exit', () => process.stderr.write(`max-rss-kib ${process.resourceUsage().maxRSS}\n`));
