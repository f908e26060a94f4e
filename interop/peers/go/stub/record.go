package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc/metadata"
)

// callRecord is what the stub saw of one call tagged "x-interop-tag" (README: Any contract): the decoded
// requests, the metadata, the deadline and cancellation. GetCallReport answers from it, so the
// harness can judge the client's encoding with this language's decoder.
type callRecord struct {
	HasDeadline bool
	DeadlineMs  int64
	Cancelled   bool
	Finished    bool
	Requests    []json.RawMessage
	Metadata    map[string][]string
}

type callLog struct {
	mu      sync.Mutex
	records map[string]*callRecord
	order   []string
}

// maxRecords bounds memory in a long-running stub (npm run serve): the oldest record goes first.
const maxRecords = 10000

func newCallLog() *callLog { return &callLog{records: map[string]*callRecord{}} }

// tracked is one call in progress; a nil *tracked (untagged call) records nothing.
type tracked struct {
	log *callLog
	rec *callRecord
	ctx context.Context
}

// start records a tagged call; the deadline is read now, when the handler starts.
func (l *callLog) start(ctx context.Context, md metadata.MD) *tracked {
	tags := md.Get("x-interop-tag")
	if len(tags) == 0 {
		return nil
	}
	rec := &callRecord{Requests: []json.RawMessage{}, Metadata: receivedMetadata(md)}
	if d, ok := ctx.Deadline(); ok {
		rec.HasDeadline = true
		rec.DeadlineMs = time.Until(d).Milliseconds()
	}
	l.mu.Lock()
	if _, dup := l.records[tags[0]]; !dup {
		if len(l.order) >= maxRecords {
			delete(l.records, l.order[0])
			l.order = l.order[1:]
		}
		l.order = append(l.order, tags[0])
	}
	l.records[tags[0]] = rec
	l.mu.Unlock()
	t := &tracked{log: l, rec: rec, ctx: ctx}
	// The context also ends after a normal finish: only an end before it is a cancellation.
	go func() {
		<-ctx.Done()
		l.mu.Lock()
		if !rec.Finished {
			rec.Cancelled = true
		}
		l.mu.Unlock()
	}()
	return t
}

func (t *tracked) request(js json.RawMessage) {
	if t == nil {
		return
	}
	t.log.mu.Lock()
	t.rec.Requests = append(t.rec.Requests, js)
	t.log.mu.Unlock()
}

func (t *tracked) finish() {
	if t == nil {
		return
	}
	t.log.mu.Lock()
	t.rec.Cancelled = t.rec.Cancelled || t.ctx.Err() != nil
	t.rec.Finished = true
	t.log.mu.Unlock()
}

// lateCancelWindow: a grpc-js client's cancel can reach the handler as a clean end of the
// request stream, with the RST_STREAM a moment later; a tagged streaming call waits this long
// for it before it answers, as the reference servers do.
// 250 ms (it was 50): on a busy 2-core machine (both cores loaded, the matrix running) the reset
// came more than 50 ms after the end of the requests, and the report said "not cancelled".
const lateCancelWindow = 250 * time.Millisecond

func (t *tracked) awaitLateCancel() error {
	if t == nil {
		return nil
	}
	select {
	case <-t.ctx.Done():
		return t.ctx.Err()
	case <-time.After(lateCancelWindow):
		return nil
	}
}

// report waits up to wait for the tagged call to finish, then returns a copy of its record
// (nil when no such call arrived).
func (l *callLog) report(tag string, wait time.Duration) *callRecord {
	deadline := time.Now().Add(wait)
	for {
		l.mu.Lock()
		rec, ok := l.records[tag]
		var out callRecord
		if ok {
			out = *rec
			out.Requests = append([]json.RawMessage(nil), rec.Requests...)
		}
		l.mu.Unlock()
		if (ok && out.Finished) || time.Now().After(deadline) {
			if !ok {
				return nil
			}
			return &out
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// receivedMetadata is the request metadata a case may judge: transport and gRPC's own keys
// are left out (they differ by client library, not by what the application sent).
func receivedMetadata(md metadata.MD) map[string][]string {
	out := map[string][]string{}
	for k, vs := range md {
		k = strings.ToLower(k)
		if strings.HasPrefix(k, ":") || strings.HasPrefix(k, "grpc-") || k == "te" || k == "content-type" || k == "user-agent" {
			continue
		}
		for _, v := range vs {
			if strings.HasSuffix(k, "-bin") {
				v = base64.StdEncoding.EncodeToString([]byte(v))
			}
			out[k] = append(out[k], v)
		}
	}
	return out
}
