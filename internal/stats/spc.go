package stats

// Limits are the centre line and control limits of one point of a chart.
type Limits struct {
	Centre, Lower, Upper float64
}

// Rule is a "Making Data Count" special-cause rule.
type Rule int

// Rules, in the order SpecialCauses reports causes that start at the same
// point.
const (
	RuleOutside Rule = iota + 1 // one point above the upper or below the lower limit
	RuleRun                     // ShiftLength or more points in a row above, or below, the centre line
	RuleTrend                   // TrendRises or more rises in a row, or falls
)

// String names the rule: "outside the limits", "run", "trend" or "two of
// three near a limit".
func (r Rule) String() string {
	switch r {
	case RuleOutside:
		return "outside the limits"
	case RuleRun:
		return "run"
	case RuleTrend:
		return "trend"
	case RuleTwoOfThree:
		return "two of three near a limit"
	}
	return "unknown"
}

func sign(v float64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}
