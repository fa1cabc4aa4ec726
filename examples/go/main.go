// The bundled example app in Go: the same stack as examples/typescript/app.ts, synthesized offline
// (no AWS account, no credentials, no context lookups), from the repository root:
//
//	npx cdk synth --app "go run ./examples/go"
package main

import (
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

	multiazfailoverservice.NewMultiAzFailoverService(stack, jsii.String("PaymentApi"), &multiazfailoverservice.MultiAzFailoverServiceProps{
		HostedZone:         hostedZone,
		RecordName:         jsii.String("api"),
		AvailabilityZones:  jsii.Strings("eu-west-1a", "eu-west-1b", "eu-west-1c"),
		InstancesPerAz:     jsii.Number(2),
		NotificationEmails: jsii.Strings("payments-oncall@example.com"),
		Environment:        jsii.String("production"),
		CostCenter:         jsii.String("payments"),
	})

	app.Synth(nil)
}
