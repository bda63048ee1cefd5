// unsupported.js: constructs scalec can't express yet, for the test that import refuses each at its construct (stack LegacyStack).
//
// One group with what a team might still have from older CDK code, each a
// thing `scalec import` must refuse with a located error naming the CDK
// construct (its `aws:cdk:path`), never drop:
// - `UpdatePolicy.rollingUpdate()` (AutoScalingRollingUpdate) and `signals`
//   (a CreationPolicy): CloudFormation's own replacement of instances,
//   where scalec has `refresh`;
// - an alarm with an OK action (`addOkAction`): scalec's alarms notify their
//   tier when they fire;
// - an alarm on a percentile (`p99`, ExtendedStatistic);
// - metric math with `IF`, which scalec's expressions don't have.
//
// Usage: node tests/cdk/unsupported.js OUTDIR   (writes OUTDIR/LegacyStack.template.json)
'use strict';
const { Stack, Duration } = require('aws-cdk-lib');
const autoscaling = require('aws-cdk-lib/aws-autoscaling');
const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');
const actions = require('aws-cdk-lib/aws-cloudwatch-actions');
const ec2 = require('aws-cdk-lib/aws-ec2');
const sns = require('aws-cdk-lib/aws-sns');
const { FAKE_ENV, main } = require('./cdk-app');

class LegacyStack extends Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      natGateways: 1,
    });
    const critical = new sns.Topic(this, 'CriticalTopic');

    const asg = new autoscaling.AutoScalingGroup(this, 'Legacy', {
      vpc,
      instanceType: new ec2.InstanceType('m5.large'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      minCapacity: 2,
      maxCapacity: 6,
      updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({ maxBatchSize: 1 }),
      signals: autoscaling.Signals.waitForMinCapacity({ timeout: Duration.minutes(10) }),
    });
    asg.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });

    const cpu = new cloudwatch.Metric({
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      dimensionsMap: { AutoScalingGroupName: asg.autoScalingGroupName },
      period: Duration.minutes(1),
    });
    const hot = cpu.createAlarm(this, 'HotCritical', { threshold: 90, evaluationPeriods: 5 });
    hot.addAlarmAction(new actions.SnsAction(critical));
    hot.addOkAction(new actions.SnsAction(critical));

    cpu.with({ statistic: 'p99' })
      .createAlarm(this, 'SpikyCritical', { threshold: 99, evaluationPeriods: 3 })
      .addAlarmAction(new actions.SnsAction(critical));

    const inService = new cloudwatch.Metric({
      namespace: 'AWS/AutoScaling',
      metricName: 'GroupInServiceInstances',
      dimensionsMap: { AutoScalingGroupName: asg.autoScalingGroupName },
      period: Duration.minutes(1),
    });
    new cloudwatch.MathExpression({
      expression: 'IF(inService < 2, 1, 0)',
      usingMetrics: { inService },
      period: Duration.minutes(1),
    })
      .createAlarm(this, 'UnderFloorCritical', { threshold: 0, evaluationPeriods: 5,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD })
      .addAlarmAction(new actions.SnsAction(critical));
  }
}

function build(app) {
  new LegacyStack(app, 'LegacyStack', { env: FAKE_ENV, description: 'An older fleet' });
}

module.exports = { build };
main(module, build);
