// The `runstudio` command from source, for tests that run it as a real process:
// `node --import tsx src/cli/dev-entry.ts runs list …`.
import path from 'node:path';
import { run } from './main.js';

await run(process.argv, path.resolve(import.meta.dirname, '..', '..'));
