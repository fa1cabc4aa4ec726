package main

import (
	"fmt"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/jsii-runtime-go"
	"github.com/multi-az-failover-service/multi-az-failover-service-go/multiazfailoverservice"
)

// An invalid prop panics with the library's exact message.
func TestInvalidPropPanicsWithTheLibrarysExactMessage(t *testing.T) {
	// GIVEN a stack with an explicit region and an imported hosted zone
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("TestStack"), &awscdk.StackProps{
		Env: &awscdk.Environment{Region: jsii.String("eu-west-1")},
	})
	hostedZone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0123456789EXAMPLEABC"),
		ZoneName:     jsii.String("payments.example.com"),
	})

	// WHEN the service gets zero instances per zone
	recovered := func() (r any) {
		defer func() { r = recover() }()
		multiazfailoverservice.NewMultiAzFailoverService(stack, jsii.String("PaymentApi"), &multiazfailoverservice.MultiAzFailoverServiceProps{
			HostedZone:        hostedZone,
			AvailabilityZones: jsii.Strings("eu-west-1a", "eu-west-1b"),
			InstancesPerAz:    jsii.Number(0),
		})
		return nil
	}()

	// THEN the JavaScript error's message reaches Go unchanged
	want := "`instancesPerAz` must be an integer from 1 to 100, got: 0"
	if recovered == nil {
		t.Fatalf("no panic; want %q", want)
	}
	if got := fmt.Sprint(recovered); got != want {
		t.Fatalf("panic message:\n got: %q\nwant: %q", got, want)
	}
}
