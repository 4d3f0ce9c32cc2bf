// After tsc: compile the schemas' validators, bundle the CLI (scripts/bundle.mjs, which checks
// that the paths it resolves at run time exist, the validators among them) and make it
// executable (npm link / bin).
import { chmodSync } from 'node:fs';
await import('./compile-schemas.mjs');
await import('./bundle.mjs');
chmodSync(new URL('../dist/cli/main.js', import.meta.url), 0o755);
