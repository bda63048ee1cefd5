// synth-all.js: synthesizes every CDK app in tests/cdk into one directory, for the import tests.
//
// `node tests/cdk/synth-all.js OUTDIR` writes OUTDIR/ApiStack.template.json,
// OUTDIR/WorkersStack.template.json, OUTDIR/SpotStack.template.json and
// OUTDIR/ServicesStack.template.json, OUTDIR/LegacyStack.template.json, OUTDIR/EcsStack.template.json, OUTDIR/DataStack.template.json (and one manifest.json listing them). The apps' stacks are built into a
// single App, so aws-cdk-lib loads once and the synthesis takes one process;
// each stack's template is the same as `node tests/cdk/<app>.js OUTDIR` writes.
'use strict';
const path = require('path');
const { newApp } = require('./cdk-app');

const APPS = ['api', 'workers', 'spot', 'services', 'unsupported', 'ecs', 'data'];

const outdir = process.argv[2];
if (!outdir) {
  console.error('usage: node tests/cdk/synth-all.js OUTDIR');
  process.exit(2);
}
const app = newApp(outdir);
for (const name of APPS) require(path.join(__dirname, `${name}.js`)).build(app);
const assembly = app.synth();
for (const stack of assembly.stacks) console.log(path.join(outdir, stack.templateFile));
