package hin

import (
	"fmt"
	"io"
	"log/slog"
)

func slogText(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

func fmtV(v any) string { return fmt.Sprintf("%v %+v %#v %s", v, v, v, v) }
