package main

// offLockedThread runs a command on a goroutine of its own and waits for it. Fyne's
// driver locks the main goroutine to the main OS thread when the program starts (the
// window needs that thread), and every time a locked goroutine blocks and wakes — a read
// from a model's pipe, a database call — the scheduler hands it between threads: through
// a model that answers at once, `evident suggest --model-cmd` spent about half its CPU
// time on those handoffs. A command needs no particular thread.
func offLockedThread(fn func() error) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	return <-done
}
