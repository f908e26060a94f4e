package main

import (
	"encoding/json"
	"time"
)

// caseSpec is the part of a fixtures/ case that a driver acts on; "expect" is for the
// comparator only and is ignored here.
type caseSpec struct {
	Name           string            `json:"name"`
	Method         string            `json:"method"` // "package.Service/Method"
	Requests       []json.RawMessage `json:"requests"`
	SendIntervalMs int               `json:"sendIntervalMs"`
	TimeoutMs      int               `json:"timeoutMs"`
}

// event is one message sent or received, stamped in ms since the call started.
type event struct {
	AtMs    float64         `json:"atMs"`
	Message json.RawMessage `json:"message,omitempty"`
}

// statusJSON carries the numeric code; the comparator names it, so every driver agrees.
type statusJSON struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// observation is the driver's JSON contract, shared by the Go, Python and TS drivers.
type observation struct {
	Client        string     `json:"client"`
	Case          string     `json:"case"`
	Method        string     `json:"method"`
	Status        statusJSON `json:"status"`
	Sent          []event    `json:"sent"`
	HalfCloseAtMs *float64   `json:"halfCloseAtMs"`
	Responses     []event    `json:"responses"`
	DurationMs    float64    `json:"durationMs"`
}

// clock stamps events relative to the start of the call.
type clock struct{ start time.Time }

func (c clock) now() float64 { return float64(time.Since(c.start).Microseconds()) / 1000 }
