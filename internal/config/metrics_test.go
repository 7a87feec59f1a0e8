package config

import (
	"strings"
	"testing"
)

func TestMetricsAddr(t *testing.T) {
	c, err := Load(env(nil))
	// /metrics is never on the public listener: by default, loopback apart.
	if err != nil || c.MetricsAddr != DefaultMetricsAddr {
		t.Fatalf("default: %q %v", c.MetricsAddr, err)
	}
	c, err = Load(env(map[string]string{"INFOPATIENT_METRICS_ADDR": "127.0.0.1:9090"}))
	if err != nil || c.MetricsAddr != "127.0.0.1:9090" {
		t.Fatalf("set: %v %v", c, err)
	}
	for _, bad := range []string{"9090", "127.0.0.1:8080"} {
		_, err := Load(env(map[string]string{"INFOPATIENT_METRICS_ADDR": bad}))
		if err == nil || !strings.Contains(err.Error(), "INFOPATIENT_METRICS_ADDR:") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
