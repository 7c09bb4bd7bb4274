package suggest

import "evident/annotate"

func (d *doc) findPlaces()  {}
func (d *doc) findActors()  {}
func (d *doc) findWeapons() {}
func (d *doc) findTimes()   {}
func (d *doc) findSources() {}
func (d *doc) findTargets() {}
func (d *doc) findLearned(l []annotate.PhraseStat) {}
func buildEvents(d *doc, order []int, pos map[int]int) []annotate.DraftEvent { return nil }
