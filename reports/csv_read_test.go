package reports

import (
	"errors"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func TestReadFigureKeysErrors(t *testing.T) {
	head := strings.Join(FiguresHeader, ",") + "\n"
	row := func(end, count, pct string) string {
		return "t,Burglary,X,x,force," + end + ",12," + count + ",,4,no,1," + pct + ",,,,,,,,policeuk,,s,yes,\n"
	}
	for _, c := range []struct {
		name, in string
		row      int
		column   string
	}{
		{"empty", "", 1, "header"},
		{"other header", "area_code,area_name\n", 1, "header"},
		{"bad month", head + row("2019-13", "5", ""), 2, "period_end"},
		{"bad count", head + row("2019-12", "five", ""), 2, "count"},
		{"bad pct", head + row("2019-12", "5", "up"), 2, "pct_change"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadFigureKeys(strings.NewReader(c.in), "prev/trends.csv")
			var re *datasets.RowError
			if !errors.As(err, &re) {
				t.Fatalf("got error %v, want a *datasets.RowError", err)
			}
			if re.File != "prev/trends.csv" || re.Row != c.row || re.Column != c.column {
				t.Errorf("got file %q row %d column %q, want prev/trends.csv row %d column %q", re.File, re.Row, re.Column, c.row, c.column)
			}
		})
	}
}

func FuzzReadFigureKeys(f *testing.F) {
	head := strings.Join(FiguresHeader, ",") + "\n"
	f.Add(head)
	f.Add(head + "t,Burglary,E23000038,Wiltshire,force,2019-12,12,1200,,1000,no,200,20.0,,,,,,,,policeuk,,s,yes,\n")
	f.Add(head + "t,'=x,BTP,x,btp,2019-12,12,30,,,,,,,,,,,,,synthetic-policeuk,,s,no,\"a, b\"\n")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ReadFigureKeys(strings.NewReader(s), "f")
		if err != nil {
			return
		}
		if n := strings.Count(s, "\n") + 1; len(got) > n {
			t.Errorf("%d figures from %d lines", len(got), n)
		}
	})
}
