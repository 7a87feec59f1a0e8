package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Setting is one configuration variable as it was read, kept so that the
// effective configuration can be printed by the very calls that read it.
type Setting struct {
	Name   string
	Value  string
	Secret bool
	Source string // "default", "env" or "file"
}

// Masked returns the value as it may be shown to an operator.
func (s Setting) Masked() string {
	if s.Secret && s.Value != "" {
		return "********"
	}
	return s.Value
}

// loader reads typed values from the environment and collects every problem
// instead of stopping at the first, so an operator fixes them all in one go.
type loader struct {
	lookup   func(string) (string, bool)
	readFile func(string) ([]byte, error)
	settings []Setting
	problems []string
}

func newLoader(lookup func(string) (string, bool)) *loader {
	return &loader{lookup: lookup, readFile: os.ReadFile}
}

func (l *loader) problem(name, format string, args ...any) {
	l.problems = append(l.problems, name+": "+fmt.Sprintf(format, args...))
}

func (l *loader) raw(name string) (string, bool) {
	v, ok := l.lookup(name)
	v = strings.TrimSpace(v)
	return v, ok && v != ""
}

func (l *loader) record(name, value, source string, secret bool) {
	l.settings = append(l.settings, Setting{Name: name, Value: value, Source: source, Secret: secret})
}

// set reports whether the variable is present in the environment.
func (l *loader) set(name string) bool {
	_, ok := l.raw(name)
	return ok
}

// setAmong returns those of names present in the environment, in order.
func (l *loader) setAmong(names ...string) []string {
	var out []string
	for _, n := range names {
		if l.set(n) {
			out = append(out, n)
		}
	}
	return out
}

func (l *loader) str(name, def string) string {
	if v, ok := l.raw(name); ok {
		l.record(name, v, "env", false)
		return v
	}
	l.record(name, def, "default", false)
	return def
}

// secret reads NAME, or the file named by NAME_FILE (Docker/Kubernetes secrets).
func (l *loader) secret(name string) string {
	v, inline := l.raw(name)
	path, fromFile := l.raw(name + "_FILE")
	switch {
	case inline && fromFile:
		l.problem(name, "set either %s or %s_FILE, not both", name, name)
	case fromFile:
		b, err := l.readFile(path)
		if err != nil {
			l.problem(name+"_FILE", "cannot read %s: %v", path, unwrapPathError(err))
			break
		}
		v = strings.TrimSpace(string(b))
		l.record(name, v, "file", true)
		return v
	case inline:
		l.record(name, v, "env", true)
		return v
	}
	l.record(name, "", "default", true)
	return ""
}

func (l *loader) boolean(name string, def bool) bool {
	v, ok := l.raw(name)
	if !ok {
		l.record(name, strconv.FormatBool(def), "default", false)
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		l.problem(name, "%q is not a boolean (use true or false)", v)
		return def
	}
	l.record(name, strconv.FormatBool(b), "env", false)
	return b
}

func (l *loader) duration(name string, def time.Duration) time.Duration {
	v, ok := l.raw(name)
	if !ok {
		l.record(name, def.String(), "default", false)
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		// Plain integers are seconds, as in mod_auth_openidc's timeouts.
		if n, nerr := strconv.Atoi(v); nerr == nil {
			d, err = time.Duration(n)*time.Second, nil
		}
	}
	if err != nil || d <= 0 {
		l.problem(name, "%q is not a positive duration (e.g. 30m, 12h, 1800)", v)
		return def
	}
	l.record(name, d.String(), "env", false)
	return d
}

func (l *loader) integer(name string, def, min int) int {
	v, ok := l.raw(name)
	if !ok {
		l.record(name, strconv.Itoa(def), "default", false)
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min {
		l.problem(name, "%q is not an integer of at least %d", v, min)
		return def
	}
	l.record(name, strconv.Itoa(n), "env", false)
	return n
}

func (l *loader) oneOf(name, def string, allowed ...string) string {
	v := l.str(name, def)
	for _, a := range allowed {
		if strings.EqualFold(v, a) {
			return a
		}
	}
	l.problem(name, "%q is not one of %s", v, strings.Join(allowed, ", "))
	return def
}

// absURL checks an absolute http(s) URL; empty is allowed (the caller
// decides whether the value is required).
func (l *loader) absURL(name, value string) {
	if value == "" {
		return
	}
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		l.problem(name, "%q is not an absolute http(s) URL", value)
	}
}

// unwrapPathError drops the path from a file error: the message names it
// already.
func unwrapPathError(err error) error {
	if pe, ok := errors.AsType[*os.PathError](err); ok {
		return pe.Err
	}
	return err
}
