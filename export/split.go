package export

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"evident/annotate"
)

// Part is one share of a split: a name (train, dev, test, ...) and its fraction.
type Part struct {
	Name     string
	Fraction float64
}

// ParseSplit reads "train=0.8,dev=0.1,test=0.1". Fractions are normalised to sum to 1,
// so "train=8,test=2" works too.
func ParseSplit(s string) ([]Part, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var parts []Part
	sum := 0.0
	seen := map[string]bool{}
	for _, item := range strings.Split(s, ",") {
		name, frac, ok := strings.Cut(strings.TrimSpace(item), "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, `/\. `) {
			return nil, annotate.Errorf(annotate.EInvalid, "split %q: want NAME=FRACTION,... e.g. train=0.8,dev=0.1,test=0.1", s)
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(frac), 64)
		if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, annotate.Errorf(annotate.EInvalid, "split %q: fraction of %s is not a non-negative number", s, name)
		}
		if seen[name] {
			return nil, annotate.Errorf(annotate.EInvalid, "split %q: part %s named twice", s, name)
		}
		seen[name] = true
		parts = append(parts, Part{name, f})
		sum += f
	}
	if sum <= 0 {
		return nil, annotate.Errorf(annotate.EInvalid, "split %q: fractions sum to zero", s)
	}
	for i := range parts {
		parts[i].Fraction /= sum
	}
	return parts, nil
}

// DefaultGroupKey keeps documents about one incident together: the meta "incident"
// field when present (string or number), else the document's text hash, so that exact
// duplicates also land in one part.
func DefaultGroupKey(d *annotate.Document) string {
	if len(d.Meta) > 0 {
		var m struct {
			Incident json.RawMessage `json:"incident"`
		}
		if json.Unmarshal(d.Meta, &m) == nil && len(m.Incident) > 0 && string(m.Incident) != "null" {
			var s string
			if json.Unmarshal(m.Incident, &s) == nil {
				return "incident:" + s
			}
			return "incident:" + string(m.Incident)
		}
	}
	sum := d.SHA256
	if sum == "" {
		sum = annotate.TextHash(d.Text)
	}
	return "doc:" + sum
}

// Assign returns the index of the part a group key falls in for a seed. It hashes the
// seed and key with SHA-256 (no shared random state), so the same seed gives the same
// split on every machine and in every run, whatever order documents come in.
func Assign(parts []Part, seed int64, key string) int {
	h := sha256.New()
	var sb [8]byte
	binary.BigEndian.PutUint64(sb[:], uint64(seed))
	h.Write(sb[:])
	h.Write([]byte(key))
	var sum [sha256.Size]byte
	u := binary.BigEndian.Uint64(h.Sum(sum[:0])[:8])
	x := float64(u>>11) / (1 << 53) // uniform in [0, 1)
	acc, last := 0.0, 0
	for i, p := range parts {
		if p.Fraction == 0 {
			continue
		}
		acc += p.Fraction
		last = i
		if x < acc {
			return i
		}
	}
	return last // rounding left x just above the sum: the last part that takes documents
}
