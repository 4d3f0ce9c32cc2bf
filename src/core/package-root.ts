// The package's root directory (package.json, schemas/, python/). Every file that runs sits
// two directories below it: src/<layer>/x.ts, tsc's dist/<layer>/x.js and the bundle's
// dist/cli/main.js and dist/chunks/*.js (scripts/bundle.mjs). So this one relative URL holds
// in all three, and files deeper down (src/modules/ansible/) ask here instead of counting
// `../` from where they are, which the bundle would not keep.
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
