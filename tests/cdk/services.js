// services.js: four services made by one construct, as a platform team would write them with the CDK (stack ServicesStack).
//
// Covers: a construct class (`Service`) used four times with different
// props: capacity, CPU target, the queue a worker watches; each makes a
// group (its own launch template), target tracking on CPU, step scaling
// on its queue's depth and a warning alarm on that depth to one shared topic. What
// `scalec import` should see: one pattern, four instances.
//
// Usage: node tests/cdk/services.js OUTDIR   (writes OUTDIR/ServicesStack.template.json)
'use strict';
const { Stack, Duration } = require('aws-cdk-lib');
const { Construct } = require('constructs');
const autoscaling = require('aws-cdk-lib/aws-autoscaling');
const actions = require('aws-cdk-lib/aws-cloudwatch-actions');
const ec2 = require('aws-cdk-lib/aws-ec2');
const sns = require('aws-cdk-lib/aws-sns');
const subs = require('aws-cdk-lib/aws-sns-subscriptions');
const sqs = require('aws-cdk-lib/aws-sqs');
const { FAKE_ENV, main } = require('./cdk-app');

// The platform team's pattern: a queue worker service.
class Service extends Construct {
  constructor(scope, id, props) {
    super(scope, id);
    const queue = new sqs.Queue(this, 'Jobs', { visibilityTimeout: Duration.minutes(5) });
    const asg = new autoscaling.AutoScalingGroup(this, 'Fleet', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6I, ec2.InstanceSize.LARGE),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      minCapacity: props.min,
      maxCapacity: props.max,
      healthChecks: autoscaling.HealthChecks.ec2({ gracePeriod: Duration.seconds(90) }),
      defaultInstanceWarmup: Duration.minutes(2),
    });
    asg.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: props.cpu });
    asg.scaleOnMetric('Backlog', {
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      scalingSteps: [
        { upper: 10, change: -1 },
        { lower: 100, change: +1 },
        { lower: 1000, change: +3 },
      ],
      adjustmentType: autoscaling.AdjustmentType.CHANGE_IN_CAPACITY,
    });
    queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' })
      .createAlarm(this, 'BacklogWarning', {
        threshold: props.backlogAlarm,
        evaluationPeriods: 5,
      })
      .addAlarmAction(new actions.SnsAction(props.topic));
  }
}

class ServicesStack extends Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      natGateways: 1,
    });
    const warning = new sns.Topic(this, 'WarningTopic', { displayName: 'Services warnings' });
    warning.addSubscription(new subs.EmailSubscription('platform@example.com'));
    new Service(this, 'Emails', { vpc, topic: warning, min: 1, max: 10, cpu: 60, backlogAlarm: 5000 });
    new Service(this, 'Thumbnails', { vpc, topic: warning, min: 2, max: 20, cpu: 60, backlogAlarm: 5000 });
    new Service(this, 'Reports', { vpc, topic: warning, min: 1, max: 10, cpu: 70, backlogAlarm: 20000 });
    new Service(this, 'Exports', { vpc, topic: warning, min: 1, max: 5, cpu: 60, backlogAlarm: 5000 });
  }
}

function build(app) {
  new ServicesStack(app, 'ServicesStack', { env: FAKE_ENV });
}

module.exports = { build };
main(module, build);
