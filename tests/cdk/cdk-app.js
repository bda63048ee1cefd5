// Shared by the CDK apps in tests/cdk: makes an App the way `cdk synth` of a
// `cdk init` project would, without the CDK CLI and without network lookups.
//
// - context: the feature flags `cdk init` writes into cdk.json for this
//   aws-cdk-lib version (CURRENTLY_RECOMMENDED_FLAGS), so e.g. a group given
//   an instance type gets a launch template, not a launch configuration;
// - the context keys the CLI passes on every synth: `aws:cdk:path` metadata,
//   asset metadata and version reporting (the AWS::CDK::Metadata resource and
//   its CDKMetadataAvailable condition in region-agnostic stacks);
// - the default stack synthesizer: BootstrapVersion parameter and the
//   CheckBootstrapVersion rule, as every `cdk synth` template has.
//
// Stacks that name an environment use a fake account (123456789012) and give
// their VPC explicit availability zones, so nothing is looked up.
'use strict';
const { App } = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');

const FAKE_ENV = { account: '123456789012', region: 'us-east-1' };

function newApp(outdir) {
  return new App({
    outdir,
    context: {
      ...cxapi.CURRENTLY_RECOMMENDED_FLAGS,
      [cxapi.PATH_METADATA_ENABLE_CONTEXT]: true,
      [cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true,
      [cxapi.ANALYTICS_REPORTING_ENABLED_CONTEXT]: true,
    },
  });
}

// `node tests/cdk/X.js OUTDIR`: builds the app's stacks into a new App and
// writes OUTDIR/<Stack>.template.json (plus manifest.json and tree.json).
function main(mod, build) {
  if (require.main !== mod) return;
  const outdir = process.argv[2];
  if (!outdir) {
    console.error(`usage: node ${require('path').relative(process.cwd(), mod.filename)} OUTDIR`);
    process.exit(2);
  }
  const app = newApp(outdir);
  build(app);
  app.synth();
}

module.exports = { FAKE_ENV, newApp, main };
