// Package plainlocale stops Fyne from logging "Error parsing user locale C" on every run
// in a plain C or POSIX locale (common in terminals, containers and CI).
//
// Fyne reads the locale in a package init, before main runs, so the fix must run in an
// init that comes first. Go initialises packages in import-path order among those whose
// imports are ready; this package imports nothing of Fyne and "evident/..." sorts before
// "fyne.io/...", so importing it from main is enough.
package plainlocale

import "os"

func init() {
	if os.Getenv("LC_ALL") != "" || os.Getenv("LC_MESSAGES") != "" {
		return
	}
	switch os.Getenv("LANG") {
	case "", "C", "POSIX", "C.UTF-8", "C.utf8":
		// Only Fyne's translation lookup reads this; text handling is UTF-8 regardless.
		os.Setenv("LANG", "en_US.UTF-8")
	}
}
