import { openapiDocument } from './gen-api.ts';
const doc = (await openapiDocument()) as { paths: Record<string, Record<string, unknown>> };
const [p, m] = process.argv.slice(2);
console.log(JSON.stringify(doc.paths[p!]![m!], null, 1));
