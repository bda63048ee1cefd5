// data.js: a DynamoDB table and its index, scaled with the CDK's
// `autoScaleReadCapacity`, `autoScaleWriteCapacity` and
// `autoScaleGlobalSecondaryIndexReadCapacity` (stack DataStack).
//
// Covers: a provisioned table's read and write capacity and its global
// secondary index's reads, each `scaleOnUtilization`. (A Lambda alias's
// `addAutoScaling` names its function by splitting the alias's ARN, which
// import doesn't read yet.)
//
// Usage: node tests/cdk/data.js OUTDIR   (writes OUTDIR/DataStack.template.json)
'use strict';
const { Stack } = require('aws-cdk-lib');
const dynamodb = require('aws-cdk-lib/aws-dynamodb');
const { FAKE_ENV, main } = require('./cdk-app');

class DataStack extends Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const table = new dynamodb.Table(this, 'Orders', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PROVISIONED,
      readCapacity: 5,
      writeCapacity: 5,
    });
    table.addGlobalSecondaryIndex({
      indexName: 'by_day',
      partitionKey: { name: 'day', type: dynamodb.AttributeType.STRING },
      readCapacity: 5,
      writeCapacity: 5,
    });
    table.autoScaleReadCapacity({ minCapacity: 5, maxCapacity: 500 })
      .scaleOnUtilization({ targetUtilizationPercent: 70 });
    table.autoScaleWriteCapacity({ minCapacity: 5, maxCapacity: 100 })
      .scaleOnUtilization({ targetUtilizationPercent: 70 });
    table.autoScaleGlobalSecondaryIndexReadCapacity('by_day', { minCapacity: 5, maxCapacity: 200 })
      .scaleOnUtilization({ targetUtilizationPercent: 60 });
  }
}

function build(app) {
  new DataStack(app, 'DataStack', { env: FAKE_ENV, description: 'DynamoDB scaled with the CDK' });
}

module.exports = { build };
main(module, build);
