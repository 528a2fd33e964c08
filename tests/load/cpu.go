package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// userHZ is the unit of the times in /proc/PID/stat: USER_HZ, 100 on Linux
// whatever the kernel's own tick rate.
const userHZ = 100

// cpuTimes is CPU seconds (user + system) used so far.
type cpuTimes struct {
	Server, Postgres float64
	// Tool is this load tool's own: on a shared machine, what it takes
	// the server and the database do not get.
	Tool float64
}

// readCPU reads the server's CPU time and the cluster's: the postmaster's
// own, its children that ended (reaped, so in its cutime and cstime) and
// those still running (every backend and worker is its direct child).
func readCPU(serverPID, pgPID int) (cpuTimes, error) {
	var c cpuTimes
	f, err := procStat(os.Getpid())
	if err != nil {
		return c, err
	}
	c.Tool = float64(f[11]+f[12]) / userHZ
	if serverPID > 0 {
		f, err := procStat(serverPID)
		if err != nil {
			return c, err
		}
		c.Server = float64(f[11]+f[12]) / userHZ
	}
	if pgPID > 0 {
		f, err := procStat(pgPID)
		if err != nil {
			return c, err
		}
		ticks := f[11] + f[12] + f[13] + f[14]
		dirs, _ := filepath.Glob("/proc/[0-9]*")
		for _, d := range dirs {
			pid, _ := strconv.Atoi(filepath.Base(d))
			if cf, err := procStat(pid); err == nil && cf[1] == int64(pgPID) {
				ticks += cf[11] + cf[12]
			}
		}
		c.Postgres = float64(ticks) / userHZ
	}
	return c, nil
}

// procStat returns the numeric fields of /proc/PID/stat after the command
// name, from field 3 (state, as 0) on: [1] is the parent, [11] utime,
// [12] stime, [13] cutime, [14] cstime.
func procStat(pid int) ([]int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, err
	}
	// The command name is in parentheses and may hold spaces or parentheses.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	fields := bytes.Fields(b[i+1:])
	if len(fields) < 15 {
		return nil, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields))
	}
	out := make([]int64, 15)
	for j := 1; j < 15; j++ {
		out[j], _ = strconv.ParseInt(string(fields[j]), 10, 64)
	}
	return out, nil
}
