// Bundled in place of zod's locales index: the project's messages are English, and the other
// 40-odd locales would add ~250 KB to every bundle that validates a config.
export { default as en } from 'zod/v4/locales/en.js';
