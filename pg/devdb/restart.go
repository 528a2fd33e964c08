package devdb

import (
	"context"
	"errors"
	"syscall"
	"time"
)

// Halt stops a cluster this process started, as pg_ctl stop does: a fast
// shutdown (SIGINT: sessions are ended with 57P01 and a checkpoint is
// written) or, when immediate, an immediate one (SIGQUIT: every process
// exits at once and the next start recovers from the WAL). Tests use it to
// take the database away from a running server.
func (c *Cluster) Halt(immediate bool) error {
	if c == nil || c.cmd == nil || c.cmd.Process == nil {
		return errors.New("devdb: halt: this process did not start the cluster")
	}
	sig := syscall.SIGINT
	if immediate {
		sig = syscall.SIGQUIT
	}
	select {
	case <-c.exited:
		return nil
	default:
	}
	if err := c.cmd.Process.Signal(sig); err != nil {
		return err
	}
	select {
	case <-c.exited:
		return nil
	case <-time.After(30 * time.Second):
		return errors.New("devdb: halt: postgres did not exit within 30s")
	}
}

// Restart starts a halted cluster again on the same folder and socket.
func (c *Cluster) Restart(ctx context.Context) error {
	if c.bin == "" {
		return errors.New("devdb: restart: this process did not start the cluster")
	}
	return c.start(ctx, c.bin, c.cred, c.ephemeral)
}
