package pipeline

import (
	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/stats"
)

// ControlChart is a placeholder until the control chart lands.
type ControlChart struct {
	Method  string
	Grain   string
	Enough  bool
	Points  []ControlPoint
	Signals []ControlSignal
	Summary string
	Source  string
}

type ControlPoint struct {
	Start, End           datasets.Month
	Count                int64
	Value                float64
	Centre, Lower, Upper float64
	Segment              int
	Baseline             bool
	Signal               bool
}

type ControlSignal struct {
	Rule      string
	Direction string
	From, To  datasets.Month
	Text      string
}

type ControlInput struct {
	Periods                []Period
	Breaks                 []datasets.Month
	Verdict                stats.Change
	WindowStart, WindowEnd datasets.Month
	AreaName, Offence      string
}

func BuildControlChart(in ControlInput) ControlChart {
	cc := ControlChart{Grain: "month"}
	for _, p := range in.Periods {
		cc.Points = append(cc.Points, ControlPoint{Start: p.Start, End: p.End, Count: p.Count, Value: float64(p.Count)})
	}
	cc.Enough = len(cc.Points) >= 24
	return cc
}
