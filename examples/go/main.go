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

	// The failover budget, as the construct computes it from the health checks and the records
	// (README, "Failover behaviour and timing"): the same three outputs as the TypeScript example.
	budget := service.FailoverBudget()
	seconds := func(value *float64) *string { return jsii.String(strconv.Itoa(int(*value))) }
	awscdk.NewCfnOutput(stack, jsii.String("FailoverDetectionSeconds"), &awscdk.CfnOutputProps{
		Description: jsii.String("Worst case until Route 53 declares the primary tier unhealthy (interval x threshold + probe timeouts)"),
		Value:       seconds(budget.DetectionSeconds),
	})
	awscdk.NewCfnOutput(stack, jsii.String("FailoverDnsSeconds"), &awscdk.CfnOutputProps{
		Description: jsii.String("Worst case a resolver keeps answering with the primary tier (the failover records TTL)"),
		Value:       seconds(budget.DnsSeconds),
	})
	awscdk.NewCfnOutput(stack, jsii.String("FailoverWorstCaseSeconds"), &awscdk.CfnOutputProps{
		Description: jsii.String("Worst-case failover time: detection plus DNS, without resolvers or clients that ignore the TTL"),
		Value:       seconds(budget.WorstCaseSeconds),
	})

	app.Synth(nil)
}
