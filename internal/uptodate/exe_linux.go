package uptodate

import (
	"fmt"
	"os"
	"syscall"
)

// executableID identifies the running executable by its file's device,
// inode, size and modification and change times. /proc/self/exe is the file
// this process runs, even after the path it started from is replaced; and
// no write to a file leaves its change time as it was, which no one can set.
var executableID = func() (string, error) {
	info, err := os.Stat("/proc/self/exe")
	if err != nil {
		return "", err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return "", fmt.Errorf("no stat of the executable")
	}
	return fmt.Sprintf("linux %d %d %d %d.%d %d.%d", st.Dev, st.Ino, st.Size,
		st.Mtim.Sec, st.Mtim.Nsec, st.Ctim.Sec, st.Ctim.Nsec), nil
}
