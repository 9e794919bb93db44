// Regenerates the committed JSON Schema: `npm run schema`. A test fails when it drifts.
import { writeFileSync } from 'node:fs';
import { policyJsonSchema } from '../src/policy/schema.ts';

writeFileSync(new URL('../schema/policy.schema.json', import.meta.url), JSON.stringify(policyJsonSchema(), null, 2) + '\n');
console.error('wrote schema/policy.schema.json');
