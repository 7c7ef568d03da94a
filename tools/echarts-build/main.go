package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/evanw/esbuild/pkg/api"
)

// license is the notice echarts' own dist files open with (Apache-2.0),
// followed by the versions bundled.
const license = `/*
* Licensed to the Apache Software Foundation (ASF) under one
* or more contributor license agreements.  See the NOTICE file
* distributed with this work for additional information
* regarding copyright ownership.  The ASF licenses this file
* to you under the Apache License, Version 2.0 (the
* "License"); you may not use this file except in compliance
* with the License.  You may obtain a copy of the License at
*
*   http://www.apache.org/licenses/LICENSE-2.0
*
* Unless required by applicable law or agreed to in writing,
* software distributed under the License is distributed on an
* "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY
* KIND, either express or implied.  See the License for the
* specific language governing permissions and limitations
* under the License.
*/
/* Apache ECharts %s (Copyright 2017-2023 The Apache Software Foundation), with
* zrender %s (BSD-3-Clause, Copyright (c) 2017, Baidu Inc.) and tslib %s (0BSD,
* Copyright (c) Microsoft Corporation): a custom build holding only the chart
* types and components crimetrends draws (tools/echarts-build/entry.js). */`

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "echarts-build:", err)
		os.Exit(1)
	}
}

func run() error {
	modules := flag.String("modules", "", "`folder` holding the unpacked echarts, zrender and tslib packages (a node_modules)")
	entry := flag.String("entry", "", "entry `file` (default: entry.js beside this program's source, tools/echarts-build/entry.js)")
	out := flag.String("out", "", "output `file`, e.g. reports/assets/echarts.min.js")
	flag.Parse()
	if *modules == "" || *out == "" || flag.NArg() != 0 {
		flag.Usage()
		return errors.New("-modules and -out are required")
	}
	if *entry == "" {
		*entry = filepath.Join("tools", "echarts-build", "entry.js")
	}
	mods, err := filepath.Abs(*modules)
	if err != nil {
		return err
	}
	var versions []any
	for _, pkg := range []string{"echarts", "zrender", "tslib"} {
		v, err := packageVersion(filepath.Join(mods, pkg))
		if err != nil {
			return err
		}
		versions = append(versions, v)
	}

	start := time.Now()
	js, err := bundle(*entry, mods, fmt.Sprintf(license, versions...))
	if err != nil {
		return err
	}
	took := time.Since(start)
	if err := writeFile(*out, js); err != nil {
		return err
	}
	gz, err := gzipSize(js)
	if err != nil {
		return err
	}
	fmt.Printf("echarts-build: wrote %s: %d bytes, %d gzipped, bundled in %s (echarts %s, zrender %s, tslib %s)\n",
		*out, len(js), gz, took.Round(time.Millisecond), versions[0], versions[1], versions[2])
	return nil
}

// bundle runs esbuild on entry, resolving bare imports (echarts/core,
// zrender/lib/..., tslib) in modules only.
func bundle(entry, modules, banner string) ([]byte, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	res := api.Build(api.BuildOptions{
		EntryPoints:   []string{entry},
		AbsWorkingDir: wd,
		NodePaths:     []string{modules},
		Bundle:        true,
		Format:        api.FormatIIFE,
		Platform:      api.PlatformBrowser,
		// The browsers a report is opened in; echarts' lib is ES5 with
		// ES module syntax, so nothing needs lowering.
		Target: api.ES2015,
		// echarts and zrender guard their development warnings with
		// process.env.NODE_ENV, as their own dist build does.
		Define:            map[string]string{"process.env.NODE_ENV": `"production"`},
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		LegalComments:     api.LegalCommentsEndOfFile,
		Banner:            map[string]string{"js": banner},
		Charset:           api.CharsetASCII,
		LogLevel:          api.LogLevelSilent,
		Write:             false,
		Outfile:           "echarts.min.js",
	})
	if len(res.Errors) > 0 || len(res.Warnings) > 0 {
		msgs := api.FormatMessages(append(res.Errors, res.Warnings...), api.FormatMessagesOptions{Kind: api.ErrorMessage})
		return nil, fmt.Errorf("esbuild: %d error(s), %d warning(s):\n%s", len(res.Errors), len(res.Warnings), strings.Join(msgs, ""))
	}
	if len(res.OutputFiles) != 1 {
		return nil, fmt.Errorf("esbuild: %d output files, want 1", len(res.OutputFiles))
	}
	return res.OutputFiles[0].Contents, nil
}

// packageVersion reads the version of the package unpacked in dir.
func packageVersion(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return "", fmt.Errorf("%w (is -modules a node_modules holding echarts, zrender and tslib?)", err)
	}
	var p struct{ Version string }
	if err := json.Unmarshal(b, &p); err != nil || p.Version == "" {
		return "", fmt.Errorf("%s: no version (%v)", filepath.Join(dir, "package.json"), err)
	}
	return p.Version, nil
}

// writeFile writes b to name through a temporary file in the same folder,
// so that a failed build never leaves half a script.
func writeFile(name string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".echarts-build-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

func gzipSize(b []byte) (int, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	if _, err := zw.Write(b); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return buf.Len(), nil
}
