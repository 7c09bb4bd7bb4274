package remote_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"evident/annotate"
	"evident/annotate/predict"
	"evident/annotate/remote"
	"evident/annotate/sqlite"
	"evident/assets"
)

func TestSessionSuggestsAndPrefetches(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"), sqlite.Options{Schema: assets.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	im, _ := st.BeginImport(ctx, "t")
	for _, id := range []string{"one", "two", "three"} {
		d := &annotate.Document{ExternalID: id, Text: "Ana met Bo in Lima."}
		d.SHA256 = annotate.TextHash(d.Text)
		if _, err := im.Add(ctx, d, annotate.Draft{}); err != nil {
			t.Fatal(err)
		}
	}
	im.Commit()
	docs, _ := st.Documents(ctx)
	s := &remote.Session{Annotator: "t"}
	defer s.Close()
	// No model named: nothing happens.
	if n, err := s.Suggest(ctx, st, docs[0].ID); n != 0 || err != nil {
		t.Fatal(n, err)
	}
	st.SetSetting(ctx, remote.SettingCommand, fakeCommand("instant"))
	st.SetSetting(ctx, predict.MappingKey("fake"), "NAME=ACTOR")
	var others []int64
	s2 := &remote.Session{Annotator: "t", Others: func(_ context.Context, _ annotate.Store, ids []int64) error {
		others = append(others, ids...)
		return nil
	}}
	defer s2.Close()
	n, err := s2.Suggest(ctx, st, docs[0].ID)
	if err != nil || n != 3 {
		t.Fatalf("added %d, %v", n, err)
	}
	// The next documents get theirs in the background.
	deadline := time.Now().Add(10 * time.Second)
	for {
		sp, _ := st.Spans(ctx, docs[2].ID, annotate.SpanFilter{})
		if len(sp) == 3 && sp[0].Origin == "model:fake@1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not prefetched: %+v", sp)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s2.Close() // waits for the prefetch
	if len(others) != 2 || others[0] != docs[1].ID {
		t.Errorf("the other suggesters ran over %v, want the two documents fetched ahead", others)
	}
	// Asking again for a document the session has seen costs nothing.
	if n, err := s2.Suggest(ctx, st, docs[1].ID); n != 0 || err != nil {
		t.Fatal(n, err)
	}

	// A model that cannot start is reported once, then left off.
	st.SetSetting(ctx, remote.SettingCommand, fakeCommand("nohello"))
	s3 := &remote.Session{}
	defer s3.Close()
	if _, err := s3.Suggest(ctx, st, docs[0].ID); !remote.IsOff(err) || !strings.Contains(err.Error(), "out of memory") {
		t.Fatalf("err %v", err)
	}
	if _, err := s3.Suggest(ctx, st, docs[1].ID); err != nil {
		t.Fatalf("second time: %v", err)
	}
}
