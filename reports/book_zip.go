package reports

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"
)

// bookZip is the zip writer excelize saves the workbook through: it takes
// every part once, as excelize writes it, and writes the package with its
// parts in a fixed order ([Content_Types].xml first, then by name), every
// part dated stamp, and the elements of [Content_Types].xml sorted:
// excelize writes the parts of several streamed sheets, and the
// content-type defaults once a chart is added, in map order
// (qax-os/excelize#1732), so this makes the file's bytes depend on its
// content alone. On the way it colours the chosen forces' bars of each
// ranking chart, which excelize cannot.
//
// A part is deflated as it arrives, and only its compressed bytes are kept
// until the package is written (the parts [Content_Types].xml and the
// charts, which are rewritten, wait whole): the Figures sheet of fifteen
// years is over 100 MB of XML and about a tenth of that deflated. The
// bytes are those of archive/zip's own writer given the same parts in the
// same order (TestBookZipMatchesArchiveZip).
type bookZip struct {
	stamp  time.Time
	charts []*chart
	parts  []*bookPart
	flate  *flate.Writer // reused from part to part
}

// bookPart is one part of the package: its body (rewrite) or its
// deflated bytes with their CRC-32 and sizes.
type bookPart struct {
	name    string
	rewrite bool
	body    bytes.Buffer // the whole body when rewrite; else the deflated bytes
	crc     hash.Hash32
	size    uint64 // bytes before deflating
	closed  bool
	zip     *bookZip
}

func newBookZip(stamp time.Time, charts []*chart) *bookZip {
	return &bookZip{stamp: stamp, charts: charts}
}

// Create starts a part; the previous one is finished.
func (z *bookZip) Create(name string) (io.Writer, error) {
	if err := z.finishLast(); err != nil {
		return nil, err
	}
	p := &bookPart{name: name, zip: z,
		rewrite: name == "[Content_Types].xml" || strings.HasPrefix(name, "xl/charts/chart")}
	if !p.rewrite {
		p.crc = crc32.NewIEEE()
		// archive/zip's own compressor: flate at level 5.
		if z.flate == nil {
			fw, err := flate.NewWriter(&p.body, 5)
			if err != nil {
				return nil, err
			}
			z.flate = fw
		} else {
			z.flate.Reset(&p.body)
		}
	}
	z.parts = append(z.parts, p)
	return p, nil
}

func (p *bookPart) Write(b []byte) (int, error) {
	if p.closed {
		return 0, fmt.Errorf("%s: write after the next part began", p.name)
	}
	if p.rewrite {
		return p.body.Write(b)
	}
	p.crc.Write(b)
	p.size += uint64(len(b))
	return p.zip.flate.Write(b)
}

func (z *bookZip) finishLast() error {
	if len(z.parts) == 0 {
		return nil
	}
	p := z.parts[len(z.parts)-1]
	if p.closed {
		return nil
	}
	p.closed = true
	if p.rewrite {
		return nil
	}
	if err := z.flate.Close(); err != nil {
		return fmt.Errorf("%s: %w", p.name, err)
	}
	return nil
}

// AddFS is not used by excelize's save.
func (z *bookZip) AddFS(fs.FS) error { return errors.New("workbook: AddFS is not supported") }

// Close finishes the last part; writeTo writes the package.
func (z *bookZip) Close() error { return z.finishLast() }

// writeTo writes the package to w, its parts in order.
func (z *bookZip) writeTo(w io.Writer) error {
	if err := z.finishLast(); err != nil {
		return err
	}
	parts := append([]*bookPart(nil), z.parts...)
	sort.SliceStable(parts, func(i, j int) bool {
		a, b := parts[i].name, parts[j].name
		if (a == "[Content_Types].xml") != (b == "[Content_Types].xml") {
			return a == "[Content_Types].xml"
		}
		return a < b
	})
	zw := zip.NewWriter(w)
	for _, p := range parts {
		fh := &zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: z.stamp}
		if p.rewrite {
			body := p.body.Bytes()
			if p.name == "[Content_Types].xml" {
				body = sortContentTypes(body)
			} else {
				for _, c := range z.charts {
					body = colourPoints(body, c)
				}
			}
			out, err := zw.CreateHeader(fh)
			if err == nil {
				_, err = out.Write(body)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
			continue
		}
		// The header archive/zip's CreateHeader would write, with the
		// sizes and CRC-32 it would put in the data descriptor.
		if _, err := zip.NewWriter(io.Discard).CreateHeader(fh); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		fh.CRC32 = p.crc.Sum32()
		fh.CompressedSize64 = uint64(p.body.Len())
		fh.UncompressedSize64 = p.size
		if fh.CompressedSize64 >= math.MaxUint32 || fh.UncompressedSize64 >= math.MaxUint32 {
			fh.ReaderVersion = 45 // ZIP64, as archive/zip marks it
		}
		out, err := zw.CreateRaw(fh)
		if err == nil {
			_, err = out.Write(p.body.Bytes())
		}
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		p.body = bytes.Buffer{} // written: let it go
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
