// ecs.js: an API and a queue worker on ECS Fargate, scaled with the CDK's
// `autoScaleTaskCount` (stack EcsStack).
//
// Covers: `service.autoScaleTaskCount({ minCapacity, maxCapacity })` on two
// Fargate services in one cluster; `scaleOnCpuUtilization` and
// `scaleOnMemoryUtilization` with scale-in and scale-out cooldowns;
// `scaleOnMetric` (step scaling on the worker's memory, with a cooldown and
// two scale-out intervals); `scaleOnSchedule` with a time zone (a nightly
// cap and a morning lift); a tiered alarm on the API's memory with an
// `SnsAction`.
//
// Usage: node tests/cdk/ecs.js OUTDIR   (writes OUTDIR/EcsStack.template.json)
'use strict';
const { Stack, Duration, TimeZone } = require('aws-cdk-lib');
const appscaling = require('aws-cdk-lib/aws-applicationautoscaling');
const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');
const actions = require('aws-cdk-lib/aws-cloudwatch-actions');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');
const sns = require('aws-cdk-lib/aws-sns');
const { FAKE_ENV, main } = require('./cdk-app');

class EcsStack extends Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      natGateways: 1,
    });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc });
    const service = (name, memory) => {
      const task = new ecs.FargateTaskDefinition(this, `${name}Task`, { cpu: 512, memoryLimitMiB: memory });
      task.addContainer('app', { image: ecs.ContainerImage.fromRegistry(`example/${name.toLowerCase()}:1`) });
      return new ecs.FargateService(this, name, { cluster, taskDefinition: task, desiredCount: 2 });
    };
    const warning = new sns.Topic(this, 'Warning');

    const api = service('Api', 1024);
    const apiScaling = api.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 20 });
    apiScaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: 60,
      scaleInCooldown: Duration.minutes(5),
      scaleOutCooldown: Duration.minutes(1),
    });
    apiScaling.scaleOnMemoryUtilization('Memory', { targetUtilizationPercent: 75 });
    new cloudwatch.Alarm(this, 'ApiMemoryHigh', {
      metric: api.metricMemoryUtilization({ period: Duration.minutes(1) }),
      threshold: 90,
      evaluationPeriods: 10,
      alarmDescription: 'The API runs out of memory.',
    }).addAlarmAction(new actions.SnsAction(warning));

    const worker = service('Worker', 2048);
    const workerScaling = worker.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 40 });
    workerScaling.scaleOnMetric('Memory', {
      metric: worker.metricMemoryUtilization({ period: Duration.minutes(1) }),
      scalingSteps: [
        { upper: 50, change: -1 },
        { lower: 75, change: +2 },
        { lower: 90, change: +5 },
      ],
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      cooldown: Duration.minutes(2),
    });
    workerScaling.scaleOnSchedule('NightCap', {
      schedule: appscaling.Schedule.cron({ hour: '2', minute: '0' }),
      timeZone: TimeZone.EUROPE_PARIS,
      minCapacity: 1,
      maxCapacity: 4,
    });
    workerScaling.scaleOnSchedule('Morning', {
      schedule: appscaling.Schedule.cron({ hour: '6', minute: '0' }),
      timeZone: TimeZone.EUROPE_PARIS,
      minCapacity: 1,
      maxCapacity: 40,
    });
  }
}

function build(app) {
  new EcsStack(app, 'EcsStack', { env: FAKE_ENV, description: 'ECS services scaled with autoScaleTaskCount' });
}

module.exports = { build };
main(module, build);
