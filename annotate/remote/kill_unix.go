//go:build unix

package remote

import (
	"os/exec"
	"syscall"
)

// shellCommand runs command by the shell in its own process group, so that killing it
// also ends what the shell started (python under sh).
func shellCommand(command string) *exec.Cmd {
	cmd := exec.Command("/bin/sh", "-c", command)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

func killProcess(cmd *exec.Cmd) {
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
