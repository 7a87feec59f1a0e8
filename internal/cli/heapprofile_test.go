package cli

import (
	"runtime"
	"testing"
)

// The heap profile is sampled only when the pprof listener can serve it.
func TestHeapProfileOnlyWithPprof(t *testing.T) {
	defer func(rate int) { runtime.MemProfileRate = rate }(runtime.MemProfileRate)
	const goDefault = 512 * 1024
	runtime.MemProfileRate = goDefault
	sampleHeapProfile(true)
	if runtime.MemProfileRate != goDefault {
		t.Errorf("with INFOPATIENT_PPROF_ADDR the rate is %d, want Go's %d", runtime.MemProfileRate, goDefault)
	}
	sampleHeapProfile(false)
	if runtime.MemProfileRate != 0 {
		t.Errorf("without INFOPATIENT_PPROF_ADDR the rate is %d, want 0", runtime.MemProfileRate)
	}
}
