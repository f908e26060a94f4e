package main

import (
	"encoding/json"
	"fmt"
	"time"
)

// caseSpec is the driver-facing part of a case (interop/contract.ts is the reference); the
// "expect" block is for the comparator only and is ignored here.
type caseSpec struct {
	Name                 string              `json:"name"`
	Method               string              `json:"method"` // "package.Service/Method"
	Path                 string              `json:"path"`
	Requests             []json.RawMessage   `json:"requests"`
	RequestPayloadBytes  int                 `json:"requestPayloadBytes"`
	RepeatRequests       int                 `json:"repeatRequests"`
	SendIntervalMs       int                 `json:"sendIntervalMs"`
	SendOnReply          bool                `json:"sendOnReply"`
	TimeoutMs            int                 `json:"timeoutMs"`
	Address              string              `json:"address"`
	TLS                  *tlsSpec            `json:"tls"`
	Metadata             map[string][]string `json:"metadata"`
	Compression          string              `json:"compression"`
	CancelAfterMs        int                 `json:"cancelAfterMs"`
	CancelAfterResponses int                 `json:"cancelAfterResponses"`
	HalfCloseThenCancel  bool                `json:"halfCloseBeforeCancel"`
	RequestPayloadSizes  []int               `json:"requestPayloadSizes"`
	ConcurrentCalls      int                 `json:"concurrentCalls"`
	RecordSizesOnly      bool                `json:"recordSizesOnly"`
	CallReport           *struct {
		Tag    string `json:"tag"`
		WaitMs int    `json:"waitMs"`
	} `json:"callReport"`
}

type tlsSpec struct {
	CAFile             string `json:"caFile"`
	CertFile           string `json:"certFile"`
	KeyFile            string `json:"keyFile"`
	ServerNameOverride string `json:"serverNameOverride"`
}

// event is one message sent or received, stamped in ms since the call started.
type event struct {
	AtMs      float64         `json:"atMs"`
	Message   json.RawMessage `json:"message,omitempty"`
	SizeBytes *int            `json:"sizeBytes,omitempty"`
}

// statusJSON carries the numeric code; the comparator names it, so every driver agrees.
type statusJSON struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// observation is the driver's JSON contract, shared by the Go, Python and TS drivers.
type observation struct {
	Client        string              `json:"client"`
	Case          string              `json:"case"`
	Method        string              `json:"method"`
	Status        statusJSON          `json:"status"`
	Sent          []event             `json:"sent"`
	HalfCloseAtMs *float64            `json:"halfCloseAtMs"`
	Responses     []event             `json:"responses"`
	Headers       map[string][]string `json:"headers"`
	Trailers      map[string][]string `json:"trailers"`
	CallReport    json.RawMessage     `json:"callReport,omitempty"`
	StatusDetails json.RawMessage     `json:"statusDetails,omitempty"`
	DurationMs    float64             `json:"durationMs"`
	// Error says why the driver could not perform the case (README: Any contract); the call was not made.
	Error string `json:"error,omitempty"`
}

// failedCase is the observation of a case the driver could not perform: status UNKNOWN, nothing
// sent or received, and the reason naming the case, so a batch goes on past one bad case.
func failedCase(c caseSpec, err error) *observation {
	return &observation{
		Client: "go", Case: c.Name, Method: c.Method,
		Status: statusJSON{Code: 2}, Sent: []event{}, Responses: []event{},
		Headers: map[string][]string{}, Trailers: map[string][]string{},
		Error: fmt.Sprintf("case %s: %v", c.Name, err),
	}
}

// clock stamps events relative to the start of the call.
type clock struct{ start time.Time }

func (c clock) now() float64 { return float64(time.Since(c.start).Microseconds()) / 1000 }
