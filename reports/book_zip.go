package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"
)

// rezip copies the workbook's zip package with its entries in a fixed
// order ([Content_Types].xml first, then by name), every entry dated
// stamp, and the elements of [Content_Types].xml sorted: excelize writes
// the parts of several streamed sheets, and the content-type defaults once
// a chart is added, in map order (qax-os/excelize#1732), so this makes the
// file's bytes depend on its content alone. On the way it colours the
// chosen forces' bars of each ranking chart, which excelize cannot.
func rezip(w io.Writer, data []byte, stamp time.Time, charts []*chart) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.Slice(files, func(i, j int) bool {
		a, b := files[i].Name, files[j].Name
		if (a == "[Content_Types].xml") != (b == "[Content_Types].xml") {
			return a == "[Content_Types].xml"
		}
		return a < b
	})
	zw := zip.NewWriter(w)
	for _, zf := range files {
		rc, err := zf.Open()
		if err != nil {
			return err
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", zf.Name, err)
		}
		switch {
		case zf.Name == "[Content_Types].xml":
			body = sortContentTypes(body)
		case strings.HasPrefix(zf.Name, "xl/charts/chart"):
			for _, c := range charts {
				body = colourPoints(body, c)
			}
		}
		out, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate, Modified: stamp})
		if err == nil {
			_, err = out.Write(body)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", zf.Name, err)
		}
	}
	return zw.Close()
}

var contentTypeRE = regexp.MustCompile(`<(Default|Override)\s[^>]*?(/>|></(Default|Override)>)`)

// sortContentTypes puts the <Default> elements of [Content_Types].xml,
// then the <Override> elements, each sorted, where the first of them was.
// Their order carries no meaning. Anything unexpected is left unchanged.
func sortContentTypes(body []byte) []byte {
	locs := contentTypeRE.FindAllIndex(body, -1)
	if len(locs) == 0 {
		return body
	}
	for i := 1; i < len(locs); i++ {
		if locs[i][0] != locs[i-1][1] {
			return body // only contiguous elements are rewritten
		}
	}
	var defaults, overrides []string
	for _, l := range locs {
		el := string(body[l[0]:l[1]])
		if strings.HasPrefix(el, "<Default") {
			defaults = append(defaults, el)
		} else {
			overrides = append(overrides, el)
		}
	}
	sort.Strings(defaults)
	sort.Strings(overrides)
	var out bytes.Buffer
	out.Write(body[:locs[0][0]])
	out.WriteString(strings.Join(defaults, ""))
	out.WriteString(strings.Join(overrides, ""))
	out.Write(body[locs[len(locs)-1][1]:])
	return out.Bytes()
}

// colourPoints gives the chosen bars of a chart's series their own colour:
// a <c:dPt> per point, placed where the schema wants it in the series
// whose values are c.values (before its data labels, or its categories).
// A chart part without that series is returned unchanged.
func colourPoints(body []byte, c *chart) []byte {
	if len(c.points) == 0 {
		return body
	}
	var ref strings.Builder
	if err := xml.EscapeText(&ref, []byte(c.values)); err != nil {
		return body
	}
	// excelize writes the chart namespace as the default one; another
	// writer would use the c: prefix.
	ns := ""
	if bytes.Contains(body, []byte("<c:chartSpace")) {
		ns = "c:"
	}
	at := bytes.Index(body, []byte("<"+ns+"f>"+ref.String()+"</"+ns+"f>"))
	if at < 0 {
		return body
	}
	ser := bytes.LastIndex(body[:at], []byte("<"+ns+"ser>"))
	if ser < 0 {
		return body
	}
	insert := -1
	for _, tag := range []string{"dLbls", "trendline", "errBars", "cat"} {
		if i := elementAt(body[ser:at], ns+tag); i >= 0 && (insert < 0 || ser+i < insert) {
			insert = ser + i
		}
	}
	if insert < 0 {
		return body
	}
	var dpt strings.Builder
	for _, p := range c.points {
		fmt.Fprintf(&dpt, `<%[3]sdPt><%[3]sidx val="%[1]d"/><%[3]sinvertIfNegative val="0"/><%[3]sbubble3D val="0"/><%[3]sspPr><a:solidFill><a:srgbClr val="%[2]s"/></a:solidFill></%[3]sspPr></%[3]sdPt>`,
			p, colourBarChosen, ns)
	}
	out := make([]byte, 0, len(body)+dpt.Len())
	out = append(out, body[:insert]...)
	out = append(out, dpt.String()...)
	return append(out, body[insert:]...)
}

// elementAt is the index of the first <name>, <name/> or <name attr...>
// element in body, -1 when there is none.
func elementAt(body []byte, name string) int {
	open := []byte("<" + name)
	for off := 0; ; {
		i := bytes.Index(body[off:], open)
		if i < 0 {
			return -1
		}
		end := off + i + len(open)
		if end < len(body) && (body[end] == '>' || body[end] == '/' || body[end] == ' ') {
			return off + i
		}
		off = end
	}
}
