#!/usr/bin/env node
// Validates JSON documents against a JSON Schema with ajv, for the Criterion tests:
// node validate-json.js SCHEMA DOC... ; exit 0 when every DOC is valid, 1 with the errors on
// stderr otherwise, 2 on a usage or load error. Draft-07 and 2020-12 schemas are read as they
// are; a draft-04 schema (the official SARIF 2.1.0 one) is read as draft-07 after renaming its
// root `id` to `$id` — it uses no keyword whose meaning changed between the two drafts
// (no boolean exclusiveMinimum/exclusiveMaximum), which this script checks first.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const modules = path.join(root, 'build', 'npm', 'node_modules');
const Ajv = require(path.join(modules, 'ajv'));
const Ajv2020 = require(path.join(modules, 'ajv', 'dist', '2020'));
const addFormats = require(path.join(modules, 'ajv-formats'));

function main(argv) {
  if (argv.length < 2) {
    process.stderr.write('usage: validate-json.js SCHEMA DOC...\n');
    return 2;
  }
  const schema = JSON.parse(fs.readFileSync(argv[0], 'utf8'));
  // Draft-04 schemas (SARIF's) predate Unicode-mode regular expressions: their patterns are
  // read as plain ECMA-262 ones, where the SARIF 2.1.0 schema's `language` pattern (a stray
  // `]`) means a literal bracket instead of being refused.
  const draft04 = String(schema.$schema || '').includes('draft-04');
  if (draft04) {
    const text = JSON.stringify(schema);
    if (/"exclusiveM(in|ax)imum":(true|false)/.test(text))
      throw new Error('draft-04 schema uses boolean exclusive bounds: not supported');
    delete schema.$schema;
    if (schema.id && !schema.$id) {
      schema.$id = schema.id;
      delete schema.id;
    }
  }
  const draft2020 = String(schema.$schema || '').includes('2020-12');
  const opts = {strict: false, allErrors: true, unicodeRegExp: !draft04};
  const ajv = draft2020 ? new Ajv2020(opts) : new Ajv(opts);
  addFormats(ajv);
  const validate = ajv.compile(schema);
  let bad = 0;
  for (const file of argv.slice(1)) {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!validate(doc)) {
      bad++;
      for (const e of validate.errors)
        process.stderr.write(`${file}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}\n`);
    }
  }
  return bad ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`validate-json: ${e.message}\n`);
  process.exitCode = 2;
}
