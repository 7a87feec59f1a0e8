package insi

import (
	"bytes"
	"io"
	"strings"
)

func replaceOnce(s, old, new string) string { return strings.Replace(s, old, new, 1) }

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
