// Builds the web app and the server when a build is missing or older than the sources.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputs = [join(root, 'dist', 'web', 'index.html'), join(root, 'dist', 'node', 'cli', 'main.js')];

/** The newest modification time under `path`, in ms. @param {string} path @returns {number} */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const built = outputs.every(existsSync) ? Math.min(...outputs.map((p) => statSync(p).mtimeMs)) : 0;
const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'index.html')), newest(join(root, 'package.json')));
if (built < sources) {
  console.log('Building Runstudio…');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
