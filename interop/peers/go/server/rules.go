package main

import (
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	ipb "grpcinterop/gen/go/interop"
)

// The request rules of proto/interop_test.proto ("Request rules"): every integer field is checked
// before any work, so a nonsensical request is INVALID_ARGUMENT and never a panic
// (make([]byte, -1) panics, and grpc-go does not recover handler panics: the server would exit).
const (
	maxSize        = 16 << 20
	maxCount       = 100000
	maxStreamBytes = 64 << 20
	maxMs          = 60000
	maxCode        = 16
)

func outOfRange(field string, v, max int64) error {
	if v < 0 || v > max {
		return status.Errorf(codes.InvalidArgument, "%s %d is out of range [0, %d]", field, v, max)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func checkEcho(req *ipb.EchoRequest) error {
	var code error
	if st := req.GetResponseStatus(); st != nil {
		code = outOfRange("response_status.code", int64(st.GetCode()), maxCode)
	}
	return firstErr(
		outOfRange("response_size", int64(req.GetResponseSize()), maxSize),
		outOfRange("sleep_ms", int64(req.GetSleepMs()), maxMs),
		code,
	)
}

// checkStreamInput: StreamInput uses only sleep_ms and response_status of its requests.
func checkStreamInput(req *ipb.EchoRequest) error {
	var code error
	if st := req.GetResponseStatus(); st != nil {
		code = outOfRange("response_status.code", int64(st.GetCode()), maxCode)
	}
	return firstErr(outOfRange("sleep_ms", int64(req.GetSleepMs()), maxMs), code)
}

func checkStreamOutput(req *ipb.StreamOutputRequest) error {
	total := int64(req.GetResponseCount()) * int64(req.GetResponseSize())
	var tooMuch error
	if total > maxStreamBytes {
		tooMuch = status.Error(codes.InvalidArgument, fmt.Sprintf("response_count * response_size = %d is over %d", total, maxStreamBytes))
	}
	var sizes, code error
	for i, n := range req.GetResponseSizes() {
		if sizes == nil {
			sizes = outOfRange(fmt.Sprintf("response_sizes[%d]", i), int64(n), maxSize)
		}
	}
	if st := req.GetResponseStatus(); st != nil {
		code = outOfRange("response_status.code", int64(st.GetCode()), maxCode)
	}
	return firstErr(
		sizes,
		code,
		outOfRange("response_count", int64(req.GetResponseCount()), maxCount),
		outOfRange("response_size", int64(req.GetResponseSize()), maxSize),
		outOfRange("interval_ms", int64(req.GetIntervalMs()), maxMs),
		outOfRange("initial_delay_ms", int64(req.GetInitialDelayMs()), maxMs),
		tooMuch,
	)
}
