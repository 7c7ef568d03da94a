package reports

import (
	"html/template"

	"github.com/go-echarts/go-echarts/v2/render"
)

// chartBlock is one chart on a page with the table of the numbers it draws:
// what every page renders, whatever the chart. The page template gives it a
// heading, the chart container (role="img", labelled by Note), the script
// that draws it, the note and the table.
type chartBlock struct {
	ID      string // DOM id of the chart container, unique on its page, [a-z0-9_] only
	Heading string
	Element template.HTML // the container go-echarts renders
	Option  template.JS   // the chart's option JSON, made safe for <script>
	// Setup is extra script run before the chart's option is set (e.g.
	// echarts.registerMap for a boundary file); made safe for <script>.
	Setup template.JS
	Note  string // what the chart shows, in words: also the chart's text alternative
	Table blockTable
}

// blockTable is the table behind a chart.
type blockTable struct {
	Caption string
	Header  []string
	Rows    [][]blockCell
}

// blockCell is one table cell; Num right-aligns it, Strong marks a chosen row's cell.
type blockCell struct {
	Text   string
	Num    bool
	Strong bool
}

// snippeter is any go-echarts chart.
type snippeter interface {
	RenderSnippet() render.ChartSnippet
}

// newChartBlock renders chart into a block. The chart's ChartID must be id.
func newChartBlock(id, heading string, chart snippeter, note string, table blockTable) chartBlock {
	sn := chart.RenderSnippet()
	return chartBlock{
		ID:      id,
		Heading: heading,
		Element: template.HTML(sn.Element),
		Option:  template.JS(safeJSON(sn.Option)),
		Note:    note,
		Table:   table,
	}
}
