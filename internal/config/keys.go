package config

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is a problem with the config at a line of its file (Line 0: the
// whole file). Load sets File.
type Error struct {
	File string // the config file, as the user named it; "" from Parse
	Line int
	Msg  string // what is wrong and what to do, starting with the key's path where there is one
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		fmt.Fprintf(&b, "config %q", e.File)
	}
	if e.Line > 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "line %d", e.Line)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// checkNode compares a decoded YAML document with the type it is decoded
// into, t (a struct, a slice, a string or an int), and returns the first
// unknown key or value of the wrong kind, with its line, in document order.
// path is the key path so far ("force_extracts[0].mapping").
func checkNode(n *yaml.Node, t reflect.Type, path string) *Error {
	if n.Kind == 0 {
		return nil // an empty document
	}
	if n.Kind == yaml.DocumentNode {
		for _, c := range n.Content {
			if err := checkNode(c, t, path); err != nil {
				return err
			}
		}
		return nil
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return checkNode(n.Alias, t, path)
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // an empty value leaves the default
	}
	name := path
	if name == "" {
		name = "the config"
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return &Error{Line: n.Line, Msg: fmt.Sprintf("%s: want keys and values (key: value on lines of their own), not %s", name, kindWords(n))}
		}
		keys := yamlKeys(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				continue // "<<: *anchor": decoded as its keys
			}
			f, ok := keys[k.Value]
			if !ok {
				return &Error{Line: k.Line, Msg: unknownKey(k.Value, path, keys)}
			}
			if err := checkNode(v, t.Field(f).Type, join(path, k.Value)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return &Error{Line: n.Line, Msg: fmt.Sprintf("%s: want a list ([a, b] or lines starting \"- \"), not %s", name, kindWords(n))}
		}
		for i, c := range n.Content {
			if err := checkNode(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return &Error{Line: n.Line, Msg: fmt.Sprintf("%s: want one value, not %s", name, kindWords(n))}
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		if n.Kind != yaml.ScalarNode {
			return &Error{Line: n.Line, Msg: fmt.Sprintf("%s: want a whole number, not %s", name, kindWords(n))}
		}
		if _, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err != nil {
			return &Error{Line: n.Line, Msg: fmt.Sprintf("%s: %q: want a whole number", name, n.Value)}
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func kindWords(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "keys and values"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("the value %q", n.Value)
}

// yamlKeys maps the YAML keys of a struct type to its field indexes.
func yamlKeys(t reflect.Type) map[string]int {
	keys := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		keys[name] = i
	}
	return keys
}

// unknownKey says that key is not one of keys (at path) and suggests the
// nearest, or lists them all when none is near.
func unknownKey(key, path string, keys map[string]int) string {
	where := ""
	if path != "" {
		where = " in " + path
	}
	if s := nearest(key, keys); s != "" {
		return fmt.Sprintf("unknown key %q%s: did you mean %q?", key, where, s)
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	slices.Sort(names)
	return fmt.Sprintf("unknown key %q%s: the keys there are %s (see README.md)", key, where, strings.Join(names, ", "))
}

// nearest is the key nearest to typed by edit distance (case, '-' and ' '
// against '_' ignored), if it is near enough to be a slip: at most two
// edits, or a third of the key's length; or "".
func nearest(typed string, keys map[string]int) string {
	norm := func(s string) string { return strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(s)) }
	t := norm(typed)
	best, bestD := "", 0
	for k := range keys {
		d := editDistance(t, norm(k))
		if best == "" || d < bestD || d == bestD && k < best {
			best, bestD = k, d
		}
	}
	if best == "" || bestD > max(2, len([]rune(t))/3) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// pathRE splits a key path into keys and list indexes.
var pathRE = regexp.MustCompile(`([^.\[\]]+)|\[(\d+)\]`)

// lineOf finds the line of the value at path ("peer_groups[1].forces") in
// a decoded document, or 0.
func lineOf(doc *yaml.Node, path string) int {
	n := doc
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return 0
		}
		n = n.Content[0]
	}
	line := 0
	for _, m := range pathRE.FindAllStringSubmatch(path, -1) {
		switch {
		case m[2] != "":
			i, _ := strconv.Atoi(m[2])
			if n.Kind != yaml.SequenceNode || i >= len(n.Content) {
				return line
			}
			n = n.Content[i]
			line = n.Line
		default:
			if n.Kind != yaml.MappingNode {
				return line
			}
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == m[1] {
					line, n, found = n.Content[i].Line, n.Content[i+1], true
					break
				}
			}
			if !found {
				return line
			}
		}
	}
	return line
}

// syntaxRE is the form of yaml's syntax errors: "yaml: line 3: did not find
// expected key", or without "line N: " on the first line.
var syntaxRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// yamlError turns an error of the YAML decoder into one line: a syntax
// error with its line, or the decoder's list of problems joined.
func yamlError(err error) *Error {
	if te, ok := err.(*yaml.TypeError); ok {
		return &Error{Msg: strings.Join(te.Errors, "; ")}
	}
	msg := err.Error()
	m := syntaxRE.FindStringSubmatch(msg)
	if m == nil {
		return &Error{Msg: msg}
	}
	// The decoder counts lines from 0 for the parser's errors ("did not
	// find expected ..."), from 1 for the scanner's, and leaves the line
	// out when it is the first.
	line, _ := strconv.Atoi(m[1])
	if line == 0 || strings.HasPrefix(m[2], "did not find expected") {
		line++
	}
	return &Error{Line: line, Msg: "not valid YAML: " + m[2] + " (check the indentation, the colons and the quotes)"}
}
