package main

import (
	"context"
	"fmt"

	"evident/annotate"
)

// printStagedBatches tells `evident check` users about imports and merges not yet published: one
// running in another process, or one that was killed. Neither is damage: a staged batch
// is invisible as a whole, and the next import removes a killed one.
func printStagedBatches(ctx context.Context, env *cliEnv, st annotate.Store) error {
	bl, ok := st.(annotate.BatchLister)
	if !ok {
		return nil // a store that does not stage imports has none to report
	}
	batches, err := bl.StagedBatches(ctx)
	if err != nil {
		return err
	}
	for _, b := range batches {
		if b.Running {
			fmt.Fprintf(env.stdout, "import or merge batch %d: in progress (process %d, %d documents staged so far); none is visible until it finishes\n",
				b.ID, b.PID, b.Documents)
			continue
		}
		fmt.Fprintf(env.stdout, "import or merge batch %d: interrupted (process %d, started %s, is gone); none of its %d staged documents is visible, and the next import or merge removes them\n",
			b.ID, b.PID, b.Started.Format("2006-01-02 15:04:05Z"), b.Documents)
	}
	return nil
}
