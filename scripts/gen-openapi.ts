// Regenerates the committed OpenAPI document: `npm run openapi`. A test fails when it drifts.
import { writeFileSync } from 'node:fs';
import { buildOpenApi } from '../src/server/openapi.ts';

writeFileSync(new URL('../openapi.json', import.meta.url), JSON.stringify(buildOpenApi(), null, 2) + '\n');
console.error('wrote openapi.json');
