package learn

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sort"

	"evident/annotate"
)

// A stored model is: the magic line, the format version (uint32, big-endian), the CRC-32
// of the payload (uint32) and the payload, a gzip'd gob of modelFile. A reader refuses a
// newer format and a payload whose checksum or shape is wrong, so a damaged model never
// tags text; the caller goes on with the rules.
const (
	magic = "EVIDENT-TAGGER\n"
	// FormatVersion is the model file format this build writes and the newest it reads.
	FormatVersion = 1
)

// modelFile is the serialised form of a Model.
type modelFile struct {
	Version, Docs, Decisions int
	Labels                   []string
	Temp, Prior              float64
	Feats                    []uint64 // by row
	W, Trans                 []float32
	RuleRate                 map[string]float64
	ArgFeats                 []uint64
	ArgW                     []float32
	RRFeats                  []uint64 // the reranker; none when the model has none
	RRW                      []float64
	// the argument tagger; none when the model has none (models trained before it)
	ATLabels []string
	ATFeats  []uint64 // by row
	ATW      []float32
	ATThr    []float64
	ATA, ATB []float64
	// the rules' labels read as the annotator's (labelmap.go); none in older models, and
	// a reader older than it ignores it (the rules' labels stay as they are)
	LabelMap map[string]string
	// each trigger label's calibration (trigcal.go); none in older models, and a reader
	// older than it ignores it (the confidences stay uncalibrated)
	TrigCal map[string][2]float64
}

// Marshal encodes the model for storage.
func (m *Model) Marshal() ([]byte, error) {
	f := modelFile{Version: m.Version, Docs: m.Docs, Decisions: m.Decisions, Labels: m.tg.labels,
		Temp: m.tg.temp, Prior: m.prior, W: m.tg.w, Trans: m.tg.trans, RuleRate: m.ruleRate, LabelMap: m.labelMap, TrigCal: m.trigCal}
	f.Feats = make([]uint64, len(m.tg.feats))
	for h, r := range m.tg.feats {
		f.Feats[r] = h
	}
	if m.args != nil {
		f.ArgFeats, f.ArgW = sortedWeights(m.args.w)
	}
	if m.rr != nil {
		f.RRFeats, f.RRW = sortedWeights(m.rr.w)
	}
	if at := m.at; at != nil {
		f.ATLabels, f.ATW, f.ATThr, f.ATA, f.ATB = at.labels, at.w, at.thr, at.a, at.b
		f.ATFeats = make([]uint64, len(at.feats))
		for h, r := range at.feats {
			f.ATFeats[r] = h
		}
	}
	var payload bytes.Buffer
	zw := gzip.NewWriter(&payload)
	if err := gob.NewEncoder(zw).Encode(&f); err != nil {
		return nil, fmt.Errorf("learn: encode model: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("learn: encode model: %w", err)
	}
	out := make([]byte, 0, len(magic)+8+payload.Len())
	out = append(out, magic...)
	out = binary.BigEndian.AppendUint32(out, FormatVersion)
	out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(payload.Bytes()))
	return append(out, payload.Bytes()...), nil
}

// sortedWeights lists a sparse weight table by feature hash, so equal models encode to
// equal bytes.
func sortedWeights[V float32 | float64](w map[uint64]V) ([]uint64, []V) {
	keys := make([]uint64, 0, len(w))
	for h := range w {
		keys = append(keys, h)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	vals := make([]V, len(keys))
	for i, h := range keys {
		vals[i] = w[h]
	}
	return keys, vals
}

// Unmarshal decodes a stored model. A file that is not a model, is damaged, or was
// written by a newer Evident is refused with an EInvalid error saying which.
func Unmarshal(b []byte) (*Model, error) {
	if len(b) < len(magic)+8 || string(b[:len(magic)]) != magic {
		return nil, annotate.Errorf(annotate.EInvalid, "learn: not an Evident tagger model")
	}
	b = b[len(magic):]
	if v := binary.BigEndian.Uint32(b); v > FormatVersion {
		return nil, annotate.Errorf(annotate.ETooNew, "learn: the model has format %d, newer than this Evident reads (%d): update Evident or retrain with `evident train`", v, FormatVersion)
	} else if v == 0 {
		return nil, annotate.Errorf(annotate.EInvalid, "learn: model format 0 is not valid")
	}
	sum, payload := binary.BigEndian.Uint32(b[4:]), b[8:]
	if crc32.ChecksumIEEE(payload) != sum {
		return nil, annotate.Errorf(annotate.EInvalid, "learn: the model is corrupt (checksum mismatch): retrain with `evident train`")
	}
	zr, err := gzip.NewReader(bytes.NewReader(payload))
	if err != nil {
		return nil, corrupt(err)
	}
	var f modelFile
	if err := gob.NewDecoder(io.LimitReader(zr, 1<<31)).Decode(&f); err != nil {
		return nil, corrupt(err)
	}
	T := 2*len(f.Labels) + 1
	if len(f.W) != len(f.Feats)*T || len(f.Trans) != (T+1)*T || len(f.ArgW) != len(f.ArgFeats) || len(f.RRW) != len(f.RRFeats) || f.Temp < 0 {
		return nil, corrupt(errors.New("tables of the wrong size"))
	}
	tg := &tagger{labels: f.Labels, temp: f.Temp, w: f.W, trans: f.Trans, feats: make(map[uint64]int32, len(f.Feats))}
	for r, h := range f.Feats {
		tg.feats[h] = int32(r)
	}
	args := &argScorer{w: make(map[uint64]float32, len(f.ArgFeats))}
	for i, h := range f.ArgFeats {
		args.w[h] = f.ArgW[i]
	}
	var rr *reranker
	if len(f.RRFeats) > 0 {
		rr = &reranker{w: make(map[uint64]float64, len(f.RRFeats))}
		for i, h := range f.RRFeats {
			rr.w[h] = f.RRW[i]
		}
	}
	var at *argTagger
	if L := len(f.ATLabels); L > 0 {
		if len(f.ATW) != len(f.ATFeats)*L || len(f.ATThr) != L || len(f.ATA) != L || len(f.ATB) != L {
			return nil, corrupt(errors.New("argument tables of the wrong size"))
		}
		at = &argTagger{labels: f.ATLabels, w: f.ATW, thr: f.ATThr, a: f.ATA, b: f.ATB, feats: make(map[uint64]int32, len(f.ATFeats))}
		for r, h := range f.ATFeats {
			at.feats[h] = int32(r)
		}
	}
	if f.RuleRate == nil {
		f.RuleRate = map[string]float64{}
	}
	return &Model{Version: f.Version, Docs: f.Docs, Decisions: f.Decisions, tg: tg, args: args, ruleRate: f.RuleRate, prior: f.Prior, rr: rr, at: at, labelMap: f.LabelMap, trigCal: f.TrigCal}, nil
}

func corrupt(err error) error {
	return annotate.Errorf(annotate.EInvalid, "learn: the model is corrupt (%v): retrain with `evident train`", err)
}
