// Make the built CLI executable (npm link / bin) and keep the shebang.
import { chmodSync, existsSync } from 'node:fs';
const bin = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(bin)) chmodSync(bin, 0o755);
await import('./compile-schemas.mjs');
