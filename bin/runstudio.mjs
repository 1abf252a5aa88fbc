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
const { run } = await import(pathToFileURL(entry).href);
await run(process.argv, root);
