// The multi-Region example app in Go: the same three stacks as examples/typescript/multi-region.ts.
// The same payment API in eu-west-1 (primary) and us-east-1 (secondary), each a
// MultiAzFailoverService in its own stack, behind one global name in a third stack
// (docs/MULTI-REGION.md). Synthesized offline (no AWS account, no credentials, no context
// lookups), from the repository root:
//
//	npx cdk synth --app "go run ./examples/go/multiregion"
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/jsii-runtime-go"
	"github.com/multi-az-failover-service/multi-az-failover-service-go/multiazfailoverservice"
)

const globalName = "api.payments.example.com"

func zone(stack awscdk.Stack) awsroute53.IHostedZone {
	return awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0123456789EXAMPLEABC"),
		ZoneName:     jsii.String("payments.example.com"),
	})
}

// regional is one service per Region, each under a record name of its own (api-eu-west-1,
// api-us-east-1) and accepting the global name (certificate and listener rule).
func regional(app awscdk.App, id string, region string) multiazfailoverservice.MultiAzFailoverService {
	stack := awscdk.NewStack(app, jsii.String(id), &awscdk.StackProps{
		Env:         &awscdk.Environment{Region: jsii.String(region)},
		Description: jsii.String("Payment API in " + region + ": two ALB tiers over per-AZ Auto Scaling groups with Route 53 failover"),
	})
	zones := []*string{}
	for _, letter := range []string{"a", "b", "c"} {
		zones = append(zones, jsii.String(region+letter))
	}
	return multiazfailoverservice.NewMultiAzFailoverService(stack, jsii.String("PaymentApi"), &multiazfailoverservice.MultiAzFailoverServiceProps{
		HostedZone:         zone(stack),
		RecordName:         multiazfailoverservice.GlobalFailover_RegionalRecordName(jsii.String("api"), jsii.String(region)),
		GlobalDomainName:   jsii.String(globalName),
		AvailabilityZones:  &zones,
		NotificationEmails: jsii.Strings("payments-oncall@example.com"),
		Environment:        jsii.String("production"),
		CostCenter:         jsii.String("payments"),
	})
}

func main() {
	defer jsii.Close()

	app := awscdk.NewApp(nil)
	eu := regional(app, "PaymentApiEu", "eu-west-1")
	us := regional(app, "PaymentApiUs", "us-east-1")

	// The global stack in us-east-1, where Route 53 publishes its health-check metrics.
	globalStack := awscdk.NewStack(app, jsii.String("PaymentApiGlobal"), &awscdk.StackProps{
		Env:         &awscdk.Environment{Region: jsii.String("us-east-1")},
		Description: jsii.String("Payment API: one name in front of eu-west-1 (primary) and us-east-1 (secondary)"),
	})
	global := multiazfailoverservice.NewGlobalFailover(globalStack, jsii.String("Global"), &multiazfailoverservice.GlobalFailoverProps{
		HostedZone: zone(globalStack),
		RecordName: jsii.String("api"),
		Primary:    eu,
		Secondary:  us,
		// GlobalFront_Accelerator() for two static IP addresses (docs/MULTI-REGION.md, "Which front").
		Front: multiazfailoverservice.GlobalFront_Dns(),
	})
	awscdk.NewCfnOutput(globalStack, jsii.String("GlobalName"), &awscdk.CfnOutputProps{
		Value: global.DomainName(),
	})

	app.Synth(nil)
}
