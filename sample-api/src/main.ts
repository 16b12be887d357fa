// The container's entry point: settings from the environment, then serve until SIGTERM.
import { jsonLogger } from './log.js';
import { startServer } from './server.js';
import { readSettings, type Settings } from './settings.js';

let settings: Settings;
try {
  settings = readSettings(process.env);
} catch (error) {
  jsonLogger().log('error', (error as Error).message);
  process.exit(1);
}
const logger = jsonLogger(settings.logLevel);
if (settings.generatedKey)
  logger.log('warn', 'no QUIZMASTER_KEY set: using a key made up for this run', {
    quizmasterKey: settings.quizmasterKey,
  });
const server = await startServer(settings, logger);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.log('info', 'signal received', { signal });
    void server.stop().then(() => process.exit(0));
  });
}
