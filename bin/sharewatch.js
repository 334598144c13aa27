#!/usr/bin/env node
// Entry for `npx sharewatch`: registers tsx so the TypeScript sources run without a build step.
import { register } from 'tsx/esm/api';

register();
// a reader that stops early (`sharewatch ... | head`) is not an error
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
