package remote

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"
	"time"

	"evident/annotate/predict"
)

// HTTPOptions configure a Label Studio ML backend.
type HTTPOptions struct {
	URL     string        // e.g. http://localhost:9090
	Timeout time.Duration // per document (DefaultTimeout if 0)
	Labels  []string      // the labels asked for, written into the label config it is set up with
	Model   string        // its name when /health gives no model_class
	Client  *http.Client
}

// HTTP is a Label Studio ML backend: GET /health, POST /setup, POST /predict with tasks.
type HTTP struct {
	opt      HTTPOptions
	info     Info
	config   string
	warnings []string
	failures int // requests failed in a row
}

// StartHTTP checks the backend's health and sets it up with a label config naming the
// labels.
func StartHTTP(ctx context.Context, opt HTTPOptions) (*HTTP, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.Client == nil {
		opt.Client = &http.Client{}
	}
	opt.URL = strings.TrimRight(opt.URL, "/")
	h := &HTTP{opt: opt, config: labelConfig(opt.Labels)}
	var health struct {
		Status     string `json:"status"`
		ModelClass string `json:"model_class"`
	}
	if err := h.call(ctx, http.MethodGet, "/health", nil, &health, opt.Timeout); err != nil {
		return nil, &OffError{Reason: err.Error()}
	}
	if health.Status != "" && !strings.EqualFold(health.Status, "UP") {
		return nil, &OffError{Reason: fmt.Sprintf("%s/health says %q", opt.URL, health.Status)}
	}
	h.info.Model = opt.Model
	if h.info.Model == "" {
		h.info.Model = health.ModelClass
	}
	if h.info.Model == "" {
		h.info.Model = "ml-backend"
	}
	var setup struct {
		ModelVersion json.RawMessage `json:"model_version"`
	}
	body := map[string]any{"project": "evident", "schema": h.config, "hostname": "", "access_token": "", "extra_params": map[string]any{}}
	if err := h.call(ctx, http.MethodPost, "/setup", body, &setup, opt.Timeout); err != nil {
		return nil, &OffError{Reason: err.Error()}
	}
	h.info.Version = strings.Trim(string(setup.ModelVersion), `"`)
	if h.info.Version == "null" {
		h.info.Version = ""
	}
	h.info.Labels = opt.Labels
	return h, nil
}

// labelConfig is a Label Studio labelling config for named entities over a text.
func labelConfig(labels []string) string {
	var b strings.Builder
	b.WriteString(`<View><Labels name="label" toName="text">`)
	for _, l := range labels {
		fmt.Fprintf(&b, `<Label value="%s"/>`, html.EscapeString(l))
	}
	b.WriteString(`</Labels><Text name="text" value="$text"/></View>`)
	return b.String()
}

// Info implements Model.
func (h *HTTP) Info() Info { return h.info }

// Warnings implements Model.
func (h *HTTP) Warnings() []string {
	w := h.warnings
	h.warnings = nil
	return w
}

// Close implements Model.
func (h *HTTP) Close() error { return nil }

type task struct {
	ID   int            `json:"id"`
	Data map[string]any `json:"data"`
}

// Predict implements Model: one POST /predict for the batch; if it fails, each document
// is asked alone, so one document that breaks the backend fails alone. Three failed
// requests in a row, none answered, switch the model off.
func (h *HTTP) Predict(ctx context.Context, docs []Doc, labels []string, reply func(*predict.Prediction)) error {
	if len(docs) == 0 {
		return nil
	}
	err := h.predict(ctx, docs, reply)
	if err == nil || len(docs) == 1 || ctx.Err() != nil {
		return err
	}
	if IsOff(err) {
		return err
	}
	h.warnings = append(h.warnings, fmt.Sprintf("a batch of %d failed (%v): asking one document at a time", len(docs), err))
	for _, d := range docs {
		if err := h.predict(ctx, []Doc{d}, reply); err != nil {
			if IsOff(err) || ctx.Err() != nil {
				return err
			}
			reply(&predict.Prediction{DocID: d.ID, Model: h.info.Model, Version: h.info.Version, Err: err.Error()})
		}
	}
	return nil
}

func (h *HTTP) predict(ctx context.Context, docs []Doc, reply func(*predict.Prediction)) error {
	tasks := make([]task, len(docs))
	for i, d := range docs {
		tasks[i] = task{ID: i + 1, Data: map[string]any{"text": d.Text, "doc_id": d.ID}}
	}
	body := map[string]any{"tasks": tasks, "label_config": h.config, "project": "evident", "params": map[string]any{}}
	var resp json.RawMessage
	err := h.call(ctx, http.MethodPost, "/predict", body, &resp, h.opt.Timeout*time.Duration(len(docs)))
	if err != nil {
		h.failures++
		if h.failures >= 3 && ctx.Err() == nil {
			return &OffError{Reason: fmt.Sprintf("3 requests failed in a row, the last: %v", err)}
		}
		return err
	}
	// Backends answer {"results":[...]} (label-studio-ml 1.x) or a bare list (0.x), one
	// prediction a task, in the order of the tasks.
	var results []json.RawMessage
	var wrapped struct {
		Results []json.RawMessage `json:"results"`
	}
	if len(resp) > 0 && resp[0] == '[' {
		err = json.Unmarshal(resp, &results)
	} else if err = json.Unmarshal(resp, &wrapped); err == nil {
		results = wrapped.Results
	}
	if err != nil || len(results) != len(docs) {
		h.failures++
		return fmt.Errorf("/predict answered %s for %d tasks: want {\"results\": [one prediction a task]}", quote(resp), len(docs))
	}
	h.failures = 0
	for i, raw := range results {
		ps, err := predict.ParseLabelStudio(docs[i].ID, raw, h.info.Model)
		if err != nil || len(ps) != 1 {
			reply(&predict.Prediction{DocID: docs[i].ID, Model: h.info.Model, Version: h.info.Version, Err: fmt.Sprintf("unreadable prediction: %v", err)})
			continue
		}
		if ps[0].Version == "" {
			ps[0].Version = h.info.Version
		}
		reply(&ps[0])
	}
	return nil
}

// call sends one request and decodes its JSON answer into out.
func (h *HTTP) call(ctx context.Context, method, path string, in, out any, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, h.opt.URL+path, body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.opt.Client.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("%s %s%s: no answer within %s (--model-timeout)", method, h.opt.URL, path, timeout)
		}
		return fmt.Errorf("%s %s%s: %w", method, h.opt.URL, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<30))
	if err != nil {
		return fmt.Errorf("%s %s%s: read answer: %w", method, h.opt.URL, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s%s: %s: %s", method, h.opt.URL, path, resp.Status, quote(data))
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s%s: answer is not JSON: %s", method, h.opt.URL, path, quote(data))
	}
	return nil
}
