#!/usr/bin/env node
// Entry point of the `runstudio` command: runs the compiled CLI from dist/node.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'node', 'cli', 'main.js');
if (!existsSync(entry)) {
  console.error('Runstudio is not built yet: run `npm run build` (or `npm start`, which builds it).');
  process.exit(1);
}
// The compiled src/cli/main.ts, typed here by hand since this file is not compiled with it.
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- a path-computed import() is `any`; the JSDoc cast is its type
const cli = /** @type {{ run: (argv: string[], packageRoot: string) => Promise<void> }} */ (await import(pathToFileURL(entry).href));
await cli.run(process.argv, root);
