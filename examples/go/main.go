// The bundled example app in Go: the same stack as examples/typescript/app.ts, synthesized offline
// (no AWS account, no credentials, no context lookups), from the repository root:
//
//	npx cdk synth --app "go run ./examples/go"
package main

import (
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/jsii-runtime-go"
	"github.com/multi-az-failover-service/multi-az-failover-service-go/multiazfailoverservice"
)

func main() {
	defer jsii.Close()

	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("PaymentApiFailover"), &awscdk.StackProps{
		Env:         &awscdk.Environment{Region: jsii.String("eu-west-1")},
		Description: jsii.String("Payment API: two ALB tiers over per-AZ Auto Scaling groups with Route 53 failover"),
	})

	hostedZone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0123456789EXAMPLEABC"),
		ZoneName:     jsii.String("payments.example.com"),
	})

	service := multiazfailoverservice.NewMultiAzFailoverService(stack, jsii.String("PaymentApi"), &multiazfailoverservice.MultiAzFailoverServiceProps{
		HostedZone:         hostedZone,
		RecordName:         jsii.String("api"),
		AvailabilityZones:  jsii.Strings("eu-west-1a", "eu-west-1b", "eu-west-1c"),
		InstancesPerAz:     jsii.Number(2),
		NotificationEmails: jsii.Strings("payments-oncall@example.com"),
		Environment:        jsii.String("production"),
		CostCenter:         jsii.String("payments"),
	})

	// The failover budget, as the construct computes it over both paths that move traffic
	// (docs/FAILOVER.md, "The failover budget"): the same four outputs as the TypeScript example.
	budget := service.FailoverBudget()
	seconds := func(value *float64) *string { return jsii.String(strconv.Itoa(int(*value))) }
	awscdk.NewCfnOutput(stack, jsii.String("FailoverBestCaseSeconds"), &awscdk.CfnOutputProps{
		Description: jsii.String("Fastest failover over both paths: a fault the HTTPS check sees at once, no cached answer"),
		Value:       seconds(budget.BestCaseSeconds),
	})
	awscdk.NewCfnOutput(stack, jsii.String("FailoverWorstCaseSeconds"), &awscdk.CfnOutputProps{
		Description: jsii.String("Slowest failover over both paths, with the delays AWS does not document at assumed values"),
		Value:       seconds(budget.WorstCaseSeconds),
	})
	awscdk.NewCfnOutput(stack, jsii.String("FailoverHttpsCheckWorstCaseSeconds"), &awscdk.CfnOutputProps{
		Description: jsii.String("Worst case through the Route 53 HTTPS check: detection, assumed propagation, records TTL"),
		Value:       seconds(budget.HttpsCheck.WorstCaseSeconds),
	})
	awscdk.NewCfnOutput(stack, jsii.String("FailoverCapacityAlarmWorstCaseSeconds"), &awscdk.CfnOutputProps{
		Description: jsii.String("Worst case through the capacity alarm: target health, alarm periods, assumed delays, records TTL"),
		Value:       seconds(budget.CapacityAlarm.WorstCaseSeconds),
	})

	app.Synth(nil)
}
