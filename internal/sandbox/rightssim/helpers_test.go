package rightssim_test

import (
	"io"
	"net/http"
	"strings"
)

func readBody(b *strings.Builder, resp *http.Response) (int64, error) { return io.Copy(b, resp.Body) }
