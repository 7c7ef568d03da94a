package reports

import (
	"embed"
	"errors"
	"fmt"
)

// SyntheticBanner is shown at the top of every page and on the cover sheet
// of every workbook built from synthetic data.
const SyntheticBanner = "SYNTHETIC DATA — not real police figures"

// ErrEchartsMissing is returned when the echarts script has not been
// built into reports/assets.
var ErrEchartsMissing = errors.New("echarts script missing: run make assets")

//go:embed assets
var assetFS embed.FS

// EchartsJS returns the echarts script the pages use. By default it reads
// the embedded reports/assets/echarts.min.js and fails with
// ErrEchartsMissing when that file was absent at build time. Tests replace
// it with a stub so that goldens stay small; nothing else should.
var EchartsJS = embeddedEcharts

func embeddedEcharts() ([]byte, error) {
	b, err := assetFS.ReadFile("assets/echarts.min.js")
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("%w (reports/assets/echarts.min.js was not embedded)", ErrEchartsMissing)
	}
	return b, nil
}
