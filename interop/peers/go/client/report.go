package main

import (
	"context"
	"encoding/json"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"grpcinterop/interop/peers/go/internal/contract"
)

// callReportMethod is asked, on the same channel, what the server saw of a tagged call.
const callReportMethod = "interop.InteropTest/GetCallReport"

// record stamps one received message: its canonical JSON, or only its size for huge payloads.
func record(ct *contract.Contract, msg proto.Message, c caseSpec, clk clock) event {
	at := clk.now()
	if c.RecordSizesOnly {
		n := proto.Size(msg)
		return event{AtMs: at, SizeBytes: &n}
	}
	js, err := ct.JSON(msg)
	if err != nil { // e.g. an Any whose type the set lacks: say so rather than drop the message
		js, _ = json.Marshal(map[string]string{"error": "cannot print as proto3 JSON: " + err.Error()})
	}
	return event{AtMs: at, Message: js}
}

// callReport asks the server what it saw of the tagged call. Its types come from the descriptor
// set like any other method's, so a stub's newer CallReport fields (received_json) come through.
func callReport(ct *contract.Contract, conn *grpc.ClientConn, c caseSpec) json.RawMessage {
	fail := func(err error) json.RawMessage {
		js, _ := json.Marshal(map[string]string{"error": err.Error()})
		return js
	}
	md, err := ct.Method(callReportMethod)
	if err != nil {
		return fail(err)
	}
	req := contract.New(md.Input())
	body, _ := json.Marshal(map[string]any{"tag": c.CallReport.Tag, "waitMs": c.CallReport.WaitMs})
	if err := ct.FromJSON(body, req); err != nil {
		return fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(c.CallReport.WaitMs)*time.Millisecond+5*time.Second)
	defer cancel()
	report := contract.New(md.Output())
	if err := conn.Invoke(ctx, "/"+callReportMethod, req, report); err != nil {
		return fail(err)
	}
	js, err := ct.JSON(report)
	if err != nil {
		return fail(err)
	}
	return js
}

// statusDetails is google.rpc.Status as canonical JSON when the status came with
// grpc-status-details-bin (grpc-go decodes it into the status, not the trailers): re-read through
// the descriptor set's google.rpc.Status, so its Any details resolve as every language's do.
func statusDetails(ct *contract.Contract, err error) json.RawMessage {
	st, ok := status.FromError(err)
	if !ok || st == nil || len(st.Proto().GetDetails()) == 0 {
		return nil
	}
	fail := func(why string) json.RawMessage {
		js, _ := json.Marshal(map[string]string{"error": why})
		return js
	}
	raw, merr := proto.Marshal(st.Proto())
	if merr != nil {
		return fail(merr.Error())
	}
	mt, lerr := ct.Message("google.rpc.Status")
	if lerr != nil {
		return fail(lerr.Error())
	}
	msg := mt.New().Interface()
	if uerr := proto.Unmarshal(raw, msg); uerr != nil {
		return fail("grpc-status-details-bin is not a google.rpc.Status: " + uerr.Error())
	}
	js, jerr := ct.JSON(msg)
	if jerr != nil {
		return fail("cannot print google.rpc.Status as proto3 JSON: " + jerr.Error())
	}
	return js
}
